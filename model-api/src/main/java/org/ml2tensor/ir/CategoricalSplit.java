package org.ml2tensor.ir;

import java.util.BitSet;

/**
 * A categorical split. For a feature value {@code x}: NaN follows the node's missing direction; otherwise
 * {@code c = (int) x} (truncation toward zero, so -0.5 is category 0); a category in {@link #goLeft()} goes left; a category in
 * {@link #known()} (or any non-negative category when {@code known} is null) goes right; anything else
 * (negative, unseen) follows the missing direction when {@code known} is set, else goes right.
 *
 * <p>Importers normalise library conventions onto this one: XGBoost ("in set goes right") swaps the
 * children, LightGBM ("in set goes left, NaN/negative right") uses {@code known = null} and missing right,
 * HistGradientBoosting passes its known-category bitset.
 *
 * @param goLeft categories that go left
 * @param known  categories seen in training, or null when every non-negative category is "known"
 */
public record CategoricalSplit(BitSet goLeft, BitSet known) {
    public CategoricalSplit {
        goLeft = (BitSet) goLeft.clone();
        known = known == null ? null : (BitSet) known.clone();
    }

    /** Largest category index that needs a table entry, plus one. */
    public int tableSize() {
        return Math.max(goLeft.length(), known == null ? 0 : known.length());
    }

    /** Reference decision (true = left) for a non-NaN value, given the node's missing direction. */
    public boolean goesLeft(double x, boolean missingGoesLeft) {
        if (Double.isNaN(x)) {
            return missingGoesLeft;
        }
        if (x <= -1 || x >= Integer.MAX_VALUE) {
            return known != null && missingGoesLeft;
        }
        int c = (int) x;
        if (goLeft.get(c)) {
            return true;
        }
        if (known == null || known.get(c)) {
            return false;
        }
        return missingGoesLeft;
    }
}

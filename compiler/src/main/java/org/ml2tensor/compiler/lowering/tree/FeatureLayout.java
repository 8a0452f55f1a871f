package org.ml2tensor.compiler.lowering.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.ml2tensor.ir.CategoricalSplit;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Reduces every split of an ensemble to a plain numeric comparison over an extended input, so that all
 * strategies share one node form and NaN never reaches arithmetic:
 * <ul>
 *   <li>columns {@code 0..F-1}: the input; NaN compares false and goes right (missing-right nodes);</li>
 *   <li>one column per feature that has a missing-left node: the input with NaN replaced by -inf, so
 *       NaN compares true and goes left;</li>
 *   <li>one column per distinct categorical split: 0 where the row goes left, 1 where it goes right
 *       (computed once per batch by a table lookup), compared with threshold 0.5.</li>
 * </ul>
 */
final class FeatureLayout {
    /** Table entries allowed for categorical lookups. */
    private static final long MAX_CATEGORY_TABLE = 64L << 20;

    private final int inputWidth;
    private final int[] missingLeftFeatures;
    private final int[] missingLeftColumn;
    private final List<CatKey> categoricalSplits;
    private final Map<CatKey, Integer> categoricalColumn;

    private record CatKey(int feature, CategoricalSplit split, boolean missingGoesLeft) {
    }

    FeatureLayout(TreeEnsemble ensemble) {
        this(ensemble, true);
    }

    /**
     * @param splitMissingLeft whether missing-left nodes read a NaN→-inf copy of their feature (false when
     *                         the consumer tracks missing values itself, like ONNX-ML TreeEnsemble)
     */
    FeatureLayout(TreeEnsemble ensemble, boolean splitMissingLeft) {
        this.inputWidth = ensemble.inputWidth();
        TreeSet<Integer> left = new TreeSet<>();
        Map<CatKey, Integer> cats = new LinkedHashMap<>();
        for (DecisionTree t : ensemble.trees()) {
            for (int i = 0; i < t.nodeCount(); i++) {
                if (t.isLeaf(i)) {
                    continue;
                }
                if (t.isCategorical(i)) {
                    cats.putIfAbsent(new CatKey(t.feature()[i], t.categorical()[i], t.missingGoesLeft()[i]), cats.size());
                } else if (splitMissingLeft && t.missingGoesLeft()[i]) {
                    left.add(t.feature()[i]);
                }
            }
        }
        missingLeftFeatures = left.stream().mapToInt(Integer::intValue).toArray();
        missingLeftColumn = new int[inputWidth];
        Arrays.fill(missingLeftColumn, -1);
        for (int k = 0; k < missingLeftFeatures.length; k++) {
            missingLeftColumn[missingLeftFeatures[k]] = inputWidth + k;
        }
        categoricalSplits = new ArrayList<>(cats.keySet());
        categoricalColumn = cats;
    }

    /** Extended input width. */
    int width() {
        return inputWidth + missingLeftFeatures.length + categoricalSplits.size();
    }

    /** Column of the extended input that node {@code i} of {@code tree} compares. */
    int column(DecisionTree tree, int i) {
        if (tree.isCategorical(i)) {
            CatKey key = new CatKey(tree.feature()[i], tree.categorical()[i], tree.missingGoesLeft()[i]);
            return inputWidth + missingLeftFeatures.length + categoricalColumn.get(key);
        }
        int f = tree.feature()[i];
        return tree.missingGoesLeft()[i] && missingLeftColumn[f] >= 0 ? missingLeftColumn[f] : f;
    }

    /** Threshold node {@code i} compares its column with (0.5 for categorical indicator columns). */
    static double threshold(DecisionTree tree, int i) {
        return tree.isCategorical(i) ? 0.5 : tree.threshold()[i];
    }

    /** What {@link #emit} depends on besides its input: equal signatures emit equal extended inputs. */
    List<Object> signature() {
        return List.of(inputWidth, java.util.Arrays.toString(missingLeftFeatures), categoricalSplits);
    }

        /** Emits the extended input for {@code x} ({@code [N, F]}). */
    Value emit(LoweringContext ctx, Value x) {
        if (missingLeftFeatures.length == 0 && categoricalSplits.isEmpty()) {
            return x;
        }
        GraphBuilder g = ctx.graph();
        List<Value> parts = new ArrayList<>();
        parts.add(x);
        if (missingLeftFeatures.length > 0) {
            Value sel = g.gather(x, g.ints("missing_left_features", missingLeftFeatures, missingLeftFeatures.length), 1);
            parts.add(g.where(g.isNaN(sel), g.scalar(x.dtype(), Double.NEGATIVE_INFINITY), sel));
        }
        if (!categoricalSplits.isEmpty()) {
            parts.add(emitCategorical(ctx, x));
        }
        return g.concat(1, parts);
    }

    private Value emitCategorical(LoweringContext ctx, Value x) {
        GraphBuilder g = ctx.graph();
        int k = categoricalSplits.size();
        int width = 1;
        for (CatKey c : categoricalSplits) {
            width = Math.max(width, c.split().tableSize());
        }
        int stride = width + 2;
        if ((long) k * stride > MAX_CATEGORY_TABLE) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "categorical splits need a lookup table of "
                    + ((long) k * stride) + " entries (" + k + " splits × " + stride + " categories)")
                    .hint("reduce the number of categories per feature (max_cat / max_bin) or the number of trees")
                    .build();
        }
        int[] features = new int[k];
        double[] table = new double[k * stride];
        int[] offsets = new int[k];
        for (int s = 0; s < k; s++) {
            CatKey c = categoricalSplits.get(s);
            features[s] = c.feature();
            offsets[s] = s * stride;
            for (int cat = 0; cat < width; cat++) {
                table[s * stride + cat] = c.split().goesLeft(cat, c.missingGoesLeft()) ? 0 : 1;
            }
            table[s * stride + width] = c.missingGoesLeft() ? 0 : 1;
            boolean invalidLeft = c.split().known() != null && c.missingGoesLeft();
            table[s * stride + width + 1] = invalidLeft ? 0 : 1;
        }
        DType real = x.dtype();
        Value xs = g.gather(x, g.ints("categorical_features", features, k), 1);
        Value valid = g.and(g.greater(xs, g.scalar(real, -1)), g.less(xs, g.scalar(real, width)));
        Value sentinel = g.where(g.isNaN(xs), g.scalar(real, width), g.scalar(real, width + 1));
        Value index = g.cast(g.where(valid, xs, sentinel), DType.INT32);
        Value flat = g.add(index, g.ints("categorical_offsets", offsets, k));
        return g.gather(g.reals("categorical_table", real, table, table.length), flat, 0);
    }
}

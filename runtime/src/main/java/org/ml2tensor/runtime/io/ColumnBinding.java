package org.ml2tensor.runtime.io;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.FeatureNames;
import org.ml2tensor.runtime.FloatType;
import org.ml2tensor.runtime.ModelInfo;

/**
 * Which input column feeds each model feature. Real feature names (given by the user, e.g. a DataFrame's
 * columns) are matched by name, in any order, ignoring extra columns; a model without names, or with
 * names a library generated ({@link FeatureNames#areGenerated}), takes columns by position — and says
 * so once, because a header in another order would then be silently misread. {@link ColumnMatching}
 * overrides the choice. A binding either leaves rows as they are ({@link #isIdentity()}) or copies each
 * block into model order ({@link #apply}).
 */
public final class ColumnBinding {
    private final int[] sourceColumn;
    private final int sourceWidth;
    private final ColumnMatching used;
    private final List<String> notices;

    private ColumnBinding(int[] sourceColumn, int sourceWidth, ColumnMatching used, List<String> notices) {
        this.sourceColumn = sourceColumn;
        this.sourceWidth = sourceWidth;
        this.used = used;
        this.notices = List.copyOf(notices);
    }

    /**
     * Binds an input of {@code sourceWidth} columns, with {@code header} when it has one, to the model.
     *
     * @throws Ml2TensorException INVALID_INPUT for missing columns or a wrong count; INVALID_OPTION for
     *                            {@code BY_NAME} without names on either side
     */
    public static ColumnBinding bind(ModelInfo info, Optional<List<String>> header, int sourceWidth,
                                     ColumnMatching mode, String sourceName) {
        List<String> names = info.featureNames();
        int count = info.featureCount() >= 0 ? info.featureCount() : sourceWidth;
        ColumnMatching m = mode;
        if (m == ColumnMatching.AUTO) {
            m = header.isPresent() && FeatureNames.areReal(names) ? ColumnMatching.BY_NAME : ColumnMatching.BY_POSITION;
        }
        if (m == ColumnMatching.BY_NAME) {
            if (header.isEmpty() || names.isEmpty()) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, header.isEmpty()
                                ? "columns by name need a header, and this input has none"
                                : "columns by name need feature names, and the model has none (it was fitted on an array)")
                        .at(sourceName).hint("take the columns by position (--columns by-position)").build();
            }
            return byName(names, header.get(), sourceName, info.source());
        }
        if (sourceWidth != count) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the input has " + sourceWidth
                            + " columns but the model expects " + count + " features")
                    .at(sourceName + (header.isPresent() ? " (header)" : ""))
                    .hint("pass exactly the feature columns the model was trained on, in training order").build();
        }
        List<String> notices = new ArrayList<>();
        if (mode == ColumnMatching.AUTO && header.isPresent() && !header.get().equals(names)) {
            notices.add(FeatureNames.areGenerated(names)
                    ? info.source() + " has only generated feature names (" + names.get(0) + ", ...): the columns of "
                            + sourceName + " are taken by position, not by header name"
                    : info.source() + " has no feature names (fitted on an array): the columns of " + sourceName
                            + " are taken by position, not by header name");
        }
        return new ColumnBinding(null, sourceWidth, ColumnMatching.BY_POSITION, notices);
    }

    private static ColumnBinding byName(List<String> names, List<String> header, String sourceName, String model) {
        Map<String, Integer> index = new HashMap<>();
        Set<String> duplicated = new LinkedHashSet<>();
        for (int i = 0; i < header.size(); i++) {
            if (index.putIfAbsent(header.get(i), i) != null) {
                duplicated.add(header.get(i));
            }
        }
        int[] source = new int[names.size()];
        List<String> missing = new ArrayList<>();
        List<String> ambiguous = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            Integer i = index.get(names.get(f));
            if (i == null) {
                missing.add(names.get(f));
            } else {
                source[f] = i;
                if (duplicated.contains(names.get(f))) {
                    ambiguous.add(names.get(f));
                }
            }
        }
        if (!missing.isEmpty()) {
            List<String> unexpected = new ArrayList<>(header);
            unexpected.removeAll(names);
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the input lacks feature columns of the model: missing "
                            + abbreviate(missing) + (unexpected.isEmpty() ? "" : ", unexpected " + abbreviate(unexpected)))
                    .at(sourceName + " (header)")
                    .hint("the model expects the columns " + abbreviate(names) + " (any order)").build();
        }
        if (!ambiguous.isEmpty()) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the header names " + abbreviate(ambiguous)
                    + " more than once").at(sourceName + " (header)").hint("give each column a distinct name").build();
        }
        List<String> notices = new ArrayList<>();
        if (header.size() > names.size()) {
            List<String> unused = new ArrayList<>(header);
            unused.removeAll(names);
            notices.add("ignoring columns of " + sourceName + " that " + model + " does not use: " + abbreviate(unused));
        }
        boolean identity = header.size() == names.size();
        for (int f = 0; f < source.length && identity; f++) {
            identity = source[f] == f;
        }
        return new ColumnBinding(identity ? null : source, header.size(), ColumnMatching.BY_NAME, notices);
    }

    /** Whether rows are fed as read. */
    public boolean isIdentity() {
        return sourceColumn == null;
    }

    /** Columns of the input. */
    public int sourceWidth() {
        return sourceWidth;
    }

    /** How columns were matched: {@code BY_NAME} or {@code BY_POSITION}. */
    public ColumnMatching matching() {
        return used;
    }

    /** One-line notices to show once (positional reading of a header, ignored columns). */
    public List<String> notices() {
        return notices;
    }

    /** For each model feature, the input column it reads (identity when {@link #isIdentity()}). */
    public int sourceColumn(int feature) {
        return sourceColumn == null ? feature : sourceColumn[feature];
    }

    /** Copies the rows of {@code from} (input order) into {@code to} (model order) and sets its row count. */
    public void apply(RowBlock from, RowBlock to) {
        int rows = from.rows();
        to.clear();
        boolean f32 = to.type() == FloatType.FLOAT32;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < to.width(); c++) {
                double v = from.get(r, sourceColumn(c));
                if (f32) {
                    to.putFloat(r, c, (float) v);
                } else {
                    to.putDouble(r, c, v);
                }
            }
        }
        to.setRows(rows);
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 12 ? names.toString() : names.subList(0, 10) + " … (" + names.size() + " in all)";
    }
}

package org.ml2tensor.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A feature transformer: rows in, rows out ({@code variable} output when it is the last step). Each record
 * knows its input/output widths, the types it reads and writes, and its output names
 * ({@code get_feature_names_out} semantics). Composition ({@link Chain}, {@link Union}) makes the IR a graph
 * of steps over named, typed columns.
 */
public sealed interface Transformer extends Estimator
        permits Transformer.SameColumns, Transformer.Projection, Transformer.MissingIndicator,
        Transformer.OneHotEncode, Transformer.SelectColumns, Transformer.Chain, Transformer.Union,
        Discretize,
        Polynomial,
        Spline {

    /** The type of output column {@code column} (numeric unless the record says otherwise). */
    default ColumnType outputType(int column) {
        return ColumnType.FLOAT;
    }

    /**
     * For each input column, whether a missing value there has a defined result, given which output columns
     * the next step accepts missing values in.
     */
    boolean[] missingInputs(boolean[] outputsAccept);

    @Override
    default boolean[] missingInputs() {
        return missingInputs(Missing.all(outputWidth(), true));
    }

    /** Output column names given the input column names ({@code get_feature_names_out}). */
    List<String> outputNames(List<String> inputNames);

    <R> R accept(TransformerVisitor<R> visitor);

    @Override
    default <R> R accept(EstimatorVisitor<R> visitor) {
        return visitor.visitTransformer(this);
    }

    /**
     * A transformer whose output column {@code j} is input column {@code j} transformed (possibly using the
     * rest of the row): as many outputs as inputs, under the input names. By default a missing input gives a
     * missing output in the same column; records that fill or refuse missing values say so.
     */
    sealed interface SameColumns extends Transformer
            permits Affine, Impute, ImputeStrings, Normalize, Binarize, OrdinalEncode, Elementwise, PowerTransform,
            QuantileTransform, KnnImpute {
        /** The number of columns in and out. */
        int width();

        @Override
        default int inputWidth() {
            return width();
        }

        @Override
        default int outputWidth() {
            return width();
        }

        @Override
        default boolean[] missingInputs(boolean[] outputsAccept) {
            return outputsAccept.clone();
        }

        @Override
        default List<String> outputNames(List<String> inputNames) {
            return inputNames;
        }
    }

    /**
     * A per-column affine map in the operation order of the library, in float64:
     * {@link Form#SUBTRACT_DIVIDE} {@code y = (x - offset) / scale} (StandardScaler, RobustScaler,
     * MaxAbsScaler with offset 0) or {@link Form#MULTIPLY_ADD} {@code y = x * scale + offset}
     * (MinMaxScaler). Subtracting 0 and dividing by 1 are exact, so they may be left out.
     */
    record Affine(Form form, double[] offset, double[] scale) implements SameColumns {
        /** The operation order. */
        public enum Form {
            /** {@code (x - offset) / scale}. */
            SUBTRACT_DIVIDE,
            /** {@code x * scale + offset}. */
            MULTIPLY_ADD
        }

        public Affine {
            java.util.Objects.requireNonNull(form, "form");
            if (offset.length != scale.length) {
                throw new IllegalArgumentException("offset and scale differ in length");
            }
        }

        /** {@code y} for one value of column {@code c}, in the library's operation order. */
        public double apply(int c, double x) {
            return form == Form.SUBTRACT_DIVIDE ? (x - offset[c]) / scale[c] : x * scale[c] + offset[c];
        }

        @Override
        public int width() {
            return offset.length;
        }

        @Override
        public <R> R accept(TransformerVisitor<R> visitor) {
            return visitor.visitAffine(this);
        }
    }

    /**
     * A linear projection (PCA, TruncatedSVD with zero mean), {@code components [k][inputs]}, in the
     * operation order of the scikit-learn version that wrote it: {@link Centring#BEFORE}
     * {@code y = (x - mean) · Cᵀ} (scikit-learn before 1.5) or {@link Centring#AFTER}
     * {@code y = x · Cᵀ - mean · Cᵀ} (1.5 and later), then divided by {@code divisor} when whitening
     * ({@code null}: no division). Output names {@code <namePrefix>0…}.
     */
    record Projection(double[] mean, double[][] components, Centring centring, double[] divisor, String namePrefix)
            implements Transformer {
        /** Where the mean is subtracted. */
        public enum Centring {
            BEFORE,
            AFTER
        }

        public Projection {
            java.util.Objects.requireNonNull(centring, "centring");
            if (divisor != null && divisor.length != components.length) {
                throw new IllegalArgumentException("divisor has " + divisor.length + " values for "
                        + components.length + " components");
            }
        }

        /** {@code (x - mean) · Cᵀ}, no whitening. */
        public Projection(double[] mean, double[][] components) {
            this(mean, components, Centring.BEFORE, null, "projection");
        }

        /** {@code (x - mean) · Cᵀ}, no whitening, output names {@code <namePrefix>0…}. */
        public Projection(double[] mean, double[][] components, String namePrefix) {
            this(mean, components, Centring.BEFORE, null, namePrefix);
        }

        /** Output names {@code projection0…}. */
        public Projection(double[] mean, double[][] components, Centring centring, double[] divisor) {
            this(mean, components, centring, divisor, "projection");
        }

        /** {@code mean · Cᵀ}, summed left to right (the constant subtracted by {@link Centring#AFTER}). */
        public double[] projectedMean() {
            double[] out = new double[components.length];
            for (int k = 0; k < components.length; k++) {
                double s = 0;
                for (int i = 0; i < mean.length; i++) {
                    s += mean[i] * components[k][i];
                }
                out[k] = s;
            }
            return out;
        }

        /** {@code y} for one row in the operation order above (dot products summed left to right). */
        public double[] apply(double[] x) {
            double[] projectedMean = centring == Centring.AFTER ? projectedMean() : null;
            double[] y = new double[components.length];
            for (int k = 0; k < y.length; k++) {
                double s = 0;
                for (int i = 0; i < x.length; i++) {
                    s += (centring == Centring.BEFORE ? x[i] - mean[i] : x[i]) * components[k][i];
                }
                if (projectedMean != null) {
                    s -= projectedMean[k];
                }
                y[k] = divisor == null ? s : s / divisor[k];
            }
            return y;
        }

        @Override
        public int inputWidth() {
            return mean.length;
        }

        @Override
        public int outputWidth() {
            return components.length;
        }

        @Override
        public boolean[] missingInputs(boolean[] outputsAccept) {
            return Missing.all(inputWidth(), Missing.allTrue(outputsAccept));
        }

        @Override
        public List<String> outputNames(List<String> inputNames) {
            return numbered(namePrefix, components.length);
        }

        @Override
        public <R> R accept(TransformerVisitor<R> visitor) {
            return visitor.visitProjection(this);
        }
    }

    /** Replaces NaN in numeric column i by {@code fill[i]} (SimpleImputer on numbers). */
    record Impute(double[] fill) implements SameColumns {

        @Override
        public int width() {
            return fill.length;
        }

        @Override
        public boolean[] missingInputs(boolean[] outputsAccept) {
            return Missing.all(inputWidth(), true);
        }

        @Override
        public <R> R accept(TransformerVisitor<R> visitor) {
            return visitor.visitImpute(this);
        }
    }

    /** Replaces the missing value (the empty string) in string column i by {@code fill[i]} (SimpleImputer on strings). */
    record ImputeStrings(List<String> fill) implements SameColumns {
        public ImputeStrings {
            fill = List.copyOf(fill);
        }

        @Override
        public int width() {
            return fill.size();
        }

        @Override
        public ColumnType inputType(int column) {
            return ColumnType.STRING;
        }

        @Override
        public ColumnType outputType(int column) {
            return ColumnType.STRING;
        }

        @Override
        public boolean[] missingInputs(boolean[] outputsAccept) {
            return Missing.all(inputWidth(), true);
        }

        @Override
        public <R> R accept(TransformerVisitor<R> visitor) {
            return visitor.visitImputeStrings(this);
        }
    }

    /**
     * 1.0 where input column {@code features[j]} is missing, else 0.0 (MissingIndicator, and the indicator
     * block of {@code SimpleImputer(add_indicator=True)}).
     *
     * @param inputTypes type of every input column (NaN marks missing numbers, the empty string missing text)
     * @param features   the input columns that get an indicator, ascending
     */
    record MissingIndicator(List<ColumnType> inputTypes, int[] features) implements Transformer {
        public MissingIndicator {
            inputTypes = List.copyOf(inputTypes);
            for (int f : features) {
                if (f < 0 || f >= inputTypes.size()) {
                    throw new IllegalArgumentException("indicator feature " + f + " out of range");
                }
            }
        }

        @Override
        public int inputWidth() {
            return inputTypes.size();
        }

        @Override
        public int outputWidth() {
            return features.length;
        }

        @Override
        public ColumnType inputType(int column) {
            return inputTypes.get(column);
        }

        @Override
        public boolean[] missingInputs(boolean[] outputsAccept) {
            return Missing.all(inputWidth(), true);
        }

        @Override
        public List<String> outputNames(List<String> inputNames) {
            List<String> out = new ArrayList<>();
            for (int f : features) {
                out.add("missingindicator_" + inputNames.get(f));
            }
            return out;
        }

        @Override
        public <R> R accept(TransformerVisitor<R> visitor) {
            return visitor.visitMissingIndicator(this);
        }
    }

    /**
     * One-hot encoding (OneHotEncoder): per input column, a block of 0/1 output columns.
     *
     * @param features one per input column
     */
    record OneHotEncode(List<Feature> features) implements Transformer {
        /**
         * @param categories    the learned categories
         * @param columnOf      output column (inside this feature's block) of each category, or -1 when the
         *                      category encodes as all zeros (the dropped one); infrequent categories share one
         * @param columnLabels  name suffix of each output column of the block
         * @param unknownColumn output column a value outside the categories sets, or -1 for all zeros
         */
        public record Feature(Categories categories, int[] columnOf, List<String> columnLabels, int unknownColumn) {
            public Feature {
                columnLabels = List.copyOf(columnLabels);
                if (columnOf.length != categories.size()) {
                    throw new IllegalArgumentException(columnOf.length + " column indices for "
                            + categories.size() + " categories");
                }
                for (int c : columnOf) {
                    if (c < -1 || c >= columnLabels.size()) {
                        throw new IllegalArgumentException("output column " + c + " out of range");
                    }
                }
                if (unknownColumn < -1 || unknownColumn >= columnLabels.size()) {
                    throw new IllegalArgumentException("unknown column " + unknownColumn + " out of range");
                }
            }

            public int width() {
                return columnLabels.size();
            }
        }

        public OneHotEncode {
            features = List.copyOf(features);
            if (features.isEmpty()) {
                throw new IllegalArgumentException("a one-hot encoder reads at least one column");
            }
        }

        @Override
        public int inputWidth() {
            return features.size();
        }

        @Override
        public int outputWidth() {
            return features.stream().mapToInt(Feature::width).sum();
        }

        @Override
        public ColumnType inputType(int column) {
            return features.get(column).categories().type();
        }

        @Override
        public boolean[] missingInputs(boolean[] outputsAccept) {
            return Missing.all(inputWidth(), true);
        }

        @Override
        public List<String> outputNames(List<String> inputNames) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < features.size(); i++) {
                for (String label : features.get(i).columnLabels()) {
                    out.add(inputNames.get(i) + "_" + label);
                }
            }
            return out;
        }

        @Override
        public <R> R accept(TransformerVisitor<R> visitor) {
            return visitor.visitOneHotEncode(this);
        }
    }

    /** Keeps the input columns {@code kept}, in order (feature selectors: their {@code get_support()} mask). */
    record SelectColumns(int inputWidth, int[] kept) implements Transformer {
        public SelectColumns {
            for (int k : kept) {
                if (k < 0 || k >= inputWidth) {
                    throw new IllegalArgumentException("kept column " + k + " out of range for " + inputWidth);
                }
            }
            if (kept.length == 0) {
                throw new IllegalArgumentException("no column is kept");
            }
        }

        @Override
        public int outputWidth() {
            return kept.length;
        }

        @Override
        public boolean[] missingInputs(boolean[] outputsAccept) {
            boolean[] in = Missing.all(inputWidth, true);
            for (int i = 0; i < kept.length; i++) {
                in[kept[i]] = outputsAccept[i];
            }
            return in;
        }

        @Override
        public List<String> outputNames(List<String> inputNames) {
            List<String> out = new ArrayList<>();
            for (int k : kept) {
                out.add(inputNames.get(k));
            }
            return out;
        }

        @Override
        public <R> R accept(TransformerVisitor<R> visitor) {
            return visitor.visitSelectColumns(this);
        }
    }

    /** Row norms (Normalizer): each row divided by its l1, l2 or max-abs norm; a zero norm leaves the row as is. */
    record Normalize(int width, Norm norm) implements SameColumns {
        /** The norm of a row. */
        public enum Norm { L1, L2, MAX }

        public Normalize {
            Objects.requireNonNull(norm, "norm");
        }

        @Override
        public boolean[] missingInputs(boolean[] outputsAccept) {
            return Missing.all(width, false);
        }

        @Override
        public <R> R accept(TransformerVisitor<R> visitor) {
            return visitor.visitNormalize(this);
        }
    }

    /** {@code 1 if x > threshold else 0} per column (Binarizer). */
    record Binarize(int width, double threshold) implements SameColumns {

        @Override
        public boolean[] missingInputs(boolean[] outputsAccept) {
            return Missing.all(width, false);
        }

        @Override
        public <R> R accept(TransformerVisitor<R> visitor) {
            return visitor.visitBinarize(this);
        }
    }

    /**
     * Ordinal encoding (OrdinalEncoder): per input column, the code of its category.
     *
     * @param features one per input column
     */
    record OrdinalEncode(List<Feature> features) implements SameColumns {
        /**
         * @param categories   the learned categories
         * @param codes        the output of each category (infrequent ones share a code; the missing category
         *                     may have {@code encoded_missing_value}, NaN included)
         * @param unknownValue output for a value outside the categories ({@code unknown_value}; NaN allowed)
         */
        public record Feature(Categories categories, double[] codes, double unknownValue) {
            public Feature {
                if (codes.length != categories.size()) {
                    throw new IllegalArgumentException(codes.length + " codes for " + categories.size() + " categories");
                }
            }
        }

        public OrdinalEncode {
            features = List.copyOf(features);
            if (features.isEmpty()) {
                throw new IllegalArgumentException("an ordinal encoder reads at least one column");
            }
        }

        @Override
        public int width() {
            return features.size();
        }

        @Override
        public ColumnType inputType(int column) {
            return features.get(column).categories().type();
        }

        @Override
        public boolean[] missingInputs(boolean[] outputsAccept) {
            return Missing.all(inputWidth(), true);
        }

        @Override
        public <R> R accept(TransformerVisitor<R> visitor) {
            return visitor.visitOrdinalEncode(this);
        }
    }

    /** A numpy ufunc applied to every column (FunctionTransformer with a ufunc or None). */
    record Elementwise(int width, UFunc function) implements SameColumns {
        public Elementwise {
            Objects.requireNonNull(function, "function");
            if (width <= 0) {
                throw new IllegalArgumentException("width must be positive");
            }
        }

        @Override
        public <R> R accept(TransformerVisitor<R> visitor) {
            return visitor.visitElementwise(this);
        }
    }

    /** Transformers applied in order (a Pipeline of transformers only). */
    record Chain(List<Transformer> steps) implements Transformer {
        public Chain {
            steps = List.copyOf(steps);
            if (steps.isEmpty()) {
                throw new IllegalArgumentException("a chain needs at least one step");
            }
            checkFlow(steps.subList(0, steps.size() - 1), steps.get(steps.size() - 1));
        }

        /** Checks that each step reads as many columns, of the types, as the one before writes. */
        static void checkFlow(List<Transformer> steps, Estimator last) {
            List<Estimator> all = new ArrayList<>(steps);
            all.add(last);
            for (int s = 1; s < all.size(); s++) {
                Transformer prev = (Transformer) all.get(s - 1);
                Estimator next = all.get(s);
                if (next.inputWidth() != prev.outputWidth()) {
                    throw new IllegalArgumentException("step " + s + " (" + next.getClass().getSimpleName()
                            + ") reads " + next.inputWidth() + " columns but receives " + prev.outputWidth());
                }
                for (int c = 0; c < next.inputWidth(); c++) {
                    if (prev.outputType(c).isNumeric() != next.inputType(c).isNumeric()) {
                        throw new IllegalArgumentException("step " + s + " (" + next.getClass().getSimpleName()
                                + ") reads column " + c + " as " + next.inputType(c).jsonName() + " but receives "
                                + prev.outputType(c).jsonName());
                    }
                }
            }
        }

        @Override
        public int inputWidth() {
            return steps.get(0).inputWidth();
        }

        @Override
        public int outputWidth() {
            return steps.get(steps.size() - 1).outputWidth();
        }

        @Override
        public ColumnType inputType(int column) {
            return steps.get(0).inputType(column);
        }

        @Override
        public ColumnType outputType(int column) {
            return steps.get(steps.size() - 1).outputType(column);
        }

        @Override
        public boolean[] missingInputs(boolean[] outputsAccept) {
            return Missing.through(steps, outputsAccept);
        }

        @Override
        public List<String> outputNames(List<String> inputNames) {
            List<String> names = inputNames;
            for (Transformer t : steps) {
                names = t.outputNames(names);
            }
            return names;
        }

        @Override
        public <R> R accept(TransformerVisitor<R> visitor) {
            return visitor.visitChain(this);
        }
    }

    /**
     * Branches that each read a subset of the input columns, their outputs concatenated in branch order
     * (ColumnTransformer, FeatureUnion, SimpleImputer's indicator block).
     *
     * @param inputTypes  type of every input column
     * @param branches    the branches, in output order
     * @param prefixNames whether output names are prefixed {@code <branch>__} (verbose_feature_names_out)
     */
    record Union(List<ColumnType> inputTypes, List<Branch> branches, boolean prefixNames) implements Transformer {
        /**
         * @param name        the branch's name
         * @param columns     input columns it reads, in the order it reads them
         * @param transformer what it applies, or null to pass the columns through
         * @param weight      factor applied to its output (FeatureUnion's transformer_weights; 1 otherwise)
         */
        public record Branch(String name, int[] columns, Transformer transformer, double weight) {
            public Branch {
                Objects.requireNonNull(name, "name");
                if (transformer != null && transformer.inputWidth() != columns.length) {
                    throw new IllegalArgumentException("branch " + name + " reads " + transformer.inputWidth()
                            + " columns but selects " + columns.length);
                }
            }

            public int outputWidth() {
                return transformer == null ? columns.length : transformer.outputWidth();
            }
        }

        public Union {
            inputTypes = List.copyOf(inputTypes);
            branches = List.copyOf(branches);
            int out = 0;
            for (Branch b : branches) {
                for (int i = 0; i < b.columns().length; i++) {
                    int c = b.columns()[i];
                    if (c < 0 || c >= inputTypes.size()) {
                        throw new IllegalArgumentException("branch " + b.name() + " selects column " + c
                                + " of " + inputTypes.size());
                    }
                    if (b.transformer() != null
                            && b.transformer().inputType(i).isNumeric() != inputTypes.get(c).isNumeric()) {
                        throw new IllegalArgumentException("branch " + b.name() + " reads column " + c + " as "
                                + b.transformer().inputType(i).jsonName() + " but it is "
                                + inputTypes.get(c).jsonName());
                    }
                }
                out += b.outputWidth();
            }
            if (out == 0) {
                throw new IllegalArgumentException("no branch produces a column");
            }
        }

        /** The type every reader of each column needs, merged; fails on a string/number conflict. */
        public static List<ColumnType> mergeTypes(int width, List<Branch> branches) {
            ColumnType[] types = new ColumnType[width];
            for (Branch b : branches) {
                if (b.transformer() == null) {
                    continue;
                }
                for (int i = 0; i < b.columns().length; i++) {
                    int c = b.columns()[i];
                    if (c < 0 || c >= width) {
                        throw new IllegalArgumentException("branch " + b.name() + " selects column " + c
                                + " of " + width);
                    }
                    ColumnType t = b.transformer().inputType(i);
                    ColumnType merged = types[c] == null ? t : types[c].merge(t);
                    if (merged == null) {
                        throw new IllegalArgumentException("column " + c + " is read as " + types[c].jsonName()
                                + " and as " + t.jsonName());
                    }
                    types[c] = merged;
                }
            }
            List<ColumnType> out = new ArrayList<>();
            for (ColumnType t : types) {
                out.add(t == null ? ColumnType.FLOAT : t);
            }
            return out;
        }

        @Override
        public int inputWidth() {
            return inputTypes.size();
        }

        @Override
        public int outputWidth() {
            return branches.stream().mapToInt(Branch::outputWidth).sum();
        }

        @Override
        public ColumnType inputType(int column) {
            return inputTypes.get(column);
        }

        @Override
        public ColumnType outputType(int column) {
            int c = column;
            for (Branch b : branches) {
                if (c < b.outputWidth()) {
                    return b.transformer() == null ? inputTypes.get(b.columns()[c]) : b.transformer().outputType(c);
                }
                c -= b.outputWidth();
            }
            throw new IndexOutOfBoundsException("output column " + column);
        }

        @Override
        public boolean[] missingInputs(boolean[] outputsAccept) {
            boolean[] in = Missing.all(inputWidth(), true);
            int at = 0;
            for (Branch b : branches) {
                boolean[] out = Arrays.copyOfRange(outputsAccept, at, at + b.outputWidth());
                boolean[] reads = b.transformer() == null ? out : b.transformer().missingInputs(out);
                for (int i = 0; i < b.columns().length; i++) {
                    in[b.columns()[i]] &= reads[i];
                }
                at += b.outputWidth();
            }
            return in;
        }

        @Override
        public List<String> outputNames(List<String> inputNames) {
            List<String> out = new ArrayList<>();
            for (Branch b : branches) {
                List<String> in = new ArrayList<>();
                for (int c : b.columns()) {
                    in.add(inputNames.get(c));
                }
                List<String> names = b.transformer() == null ? in : b.transformer().outputNames(in);
                for (String n : names) {
                    out.add(prefixNames ? b.name() + "__" + n : n);
                }
            }
            return out;
        }

        @Override
        public <R> R accept(TransformerVisitor<R> visitor) {
            return visitor.visitUnion(this);
        }

        @Override
        public String toString() {
            return "Union" + branches.stream().map(b -> b.name() + Arrays.toString(b.columns())).toList();
        }
    }

    /** {@code prefix0, prefix1, …}. */
    static List<String> numbered(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }
}

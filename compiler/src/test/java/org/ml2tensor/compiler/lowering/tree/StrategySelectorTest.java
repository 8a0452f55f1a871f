package org.ml2tensor.compiler.lowering.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.ir.TreeEnsemble;

/** {@code auto}'s choice at small expected batches, where padding and the decision-table form decide. */
class StrategySelectorTest {

    private static TreeStrategy auto(int trees, int batch) {
        TreeEnsemble e = (TreeEnsemble) TreeStrategiesTest.forest(trees).estimator();
        return StrategySelector.choose(e, CompileOptions.defaults().withExpectedBatchSize(batch), DType.FLOAT,
                DType.FLOAT).strategy();
    }

    @Test
    void heavyPaddingInTheDecisionTableFormPicksTheUnpaddedTraversal() {
        // 12 trees of 17 nodes padded to depth 5: the perfect form's decision table pays every padded node
        assertEquals(TreeStrategy.TREE_TRAVERSAL, auto(12, 1));
        // 1,500 trees: only the unpadded table (25,500 cells) fits the decision-table form
        assertEquals(TreeStrategy.TREE_TRAVERSAL, auto(1500, 1));
    }

    @Test
    void whereNeitherDecisionTableFitsTheIndexArithmeticWins() {
        // 2,000 trees: 64,000 padded and 34,000 unpadded cells, over 32,768: both walk level by level
        assertEquals(TreeStrategy.PERFECT_TREE_TRAVERSAL, auto(2000, 1));
        assertEquals(TreeStrategy.PERFECT_TREE_TRAVERSAL, auto(12, 1000));
    }
}

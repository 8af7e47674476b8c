package dev.nnc.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.diag.SourceFile;
import org.junit.jupiter.api.Test;

/**
 * Expression swell: reverse mode shares every forward value and every adjoint, so the gradients of a
 * network twice as deep are about twice as large, raw and simplified, never the exponential blow-up
 * of expanding the chain rule symbolically.
 */
class SwellTest {

    /** A dense tanh network of {@code depth} layers of 4 units on an input of 4. */
    static String deepTanh(int depth) {
        StringBuilder b = new StringBuilder("model deep {\n    input x[4]\n");
        String previous = "x";
        for (int i = 1; i <= depth; i++) {
            b.append("    h").append(i).append(" = dense(").append(previous).append(", 4, tanh)\n");
            previous = "h" + i;
        }
        b.append("    loss = sum(").append(previous).append("^2)\n}\n");
        return b.toString();
    }

    static Derivation derive(int depth) {
        return Pipeline.derive(Pipeline.check(new SourceFile("deep" + depth + ".nn", deepTanh(depth)), null));
    }

    @Test
    void twiceAsDeepIsAboutTwiceAsLarge() {
        Derivation d10 = derive(10);
        Derivation d20 = derive(20);
        String counts = "nodes at depth 10: raw " + d10.nodesBefore() + ", simplified " + d10.nodesAfter()
                + "; at depth 20: raw " + d20.nodesBefore() + ", simplified " + d20.nodesAfter();
        System.out.println("SwellTest: " + counts);
        assertTrue(d20.nodesAfter() <= 2.2 * d10.nodesAfter(), "simplified gradients swell: " + counts);
        assertTrue(d20.nodesBefore() <= 2.2 * d10.nodesBefore(), "raw gradients swell: " + counts);
    }

    @Test
    void growthPerLayerIsConstant() {
        // linear growth: each further 5 layers add the same number of nodes
        int n5 = derive(5).nodesAfter();
        int n10 = derive(10).nodesAfter();
        int n15 = derive(15).nodesAfter();
        assertTrue(n15 - n10 == n10 - n5, "simplified nodes at depth 5, 10, 15: " + n5 + ", " + n10 + ", " + n15);
    }
}

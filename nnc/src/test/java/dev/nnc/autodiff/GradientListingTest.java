package dev.nnc.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.diag.SourceFile;
import dev.nnc.graph.ExprPrinter;
import dev.nnc.graph.Kind;
import dev.nnc.graph.Node;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The listing names the error of every layer as the tutorials do: {@code delta<l>} is dloss/dz of
 * layer {@code l}'s pre-activation, numbered from the input, so the output layer's is the largest,
 * and a product that holds a delta prints with it factored out.
 */
class GradientListingTest {

    private static final Path SAMPLES = Path.of(System.getProperty("nnc.root", "..")).resolve("samples");

    private static Derivation derive(String sample) {
        return Pipeline.derive(Pipeline.check(SAMPLES.resolve(sample + ".nn"), null));
    }

    private static Node named(GradientListing listing, String name) {
        return listing.sharedNames().entrySet().stream().filter(e -> e.getValue().equals(name))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + listing.sharedNames().values()));
    }

    @Test
    void sigmoid121DeltasAreTheWalkthroughs() {
        Derivation d = derive("sigmoid_121");
        GradientListing listing = GradientListing.of(d);
        String text = listing.text();
        // the walkthrough: delta2 = (yhat - y) * sigma'(z2), delta1 = delta2 W2 * sigma'(z1)
        assertTrue(text.contains("delta2 = (yhat - y) * yhat * (1 - yhat)\n"), text);
        assertTrue(text.contains("delta1 = delta2 * W2 * a1 * (1 - a1)\n"), text);
        assertTrue(text.contains("dloss/dW2 = delta2 * a1\n"), text);
        assertTrue(text.contains("dloss/db2 = delta2\n"), text);
        assertTrue(text.contains("dloss/dW1 = delta1 outer (x * [1, 0])\n"), text);
        // and they are what their names say: dloss/dz of each layer
        Map<String, Node> bindings = d.forward().bindings();
        assertSame(d.simplified().adjoint(bindings.get("z2")), named(listing, "delta2"));
        assertSame(d.simplified().adjoint(bindings.get("z1")), named(listing, "delta1"));
        assertEquals(List.of("delta2", "delta1"), List.copyOf(listing.sharedNames().values()));
    }

    @Test
    void net2321NumbersLayersFromTheInputAndKeepsMsesTwoInFront() {
        Derivation d = derive("net_2321");
        GradientListing listing = GradientListing.of(d);
        String text = listing.text();
        assertTrue(text.contains("delta3 = (out - y) * out * (1 - out)\n"), text);
        assertTrue(text.contains("delta2 = (W3' @ delta3) * relu'(W2 @ a1 + b2)\n"), text);
        assertTrue(text.contains("delta1 = (W2' @ delta2) * relu'(W1 @ x + b1)\n"), text);
        assertTrue(text.contains("dloss/dW1 = 2 * (delta1 outer x)\n"), text);
        // delta1 is the first layer's error without mse's factor 2: dloss/dz1 = 2 * delta1
        Node z1 = d.forward().bindings().get("a1").arg(0);
        Node dz1 = d.simplified().adjoint(z1);
        assertEquals(Kind.MUL, dz1.kind());
        assertTrue(dz1.arg(0).isConst(2), "dloss/dz1 = 2 * delta1");
        assertSame(named(listing, "delta1"), dz1.arg(1));
    }

    @Test
    void layerSyntaxModelsNameTheOutputLayersErrorLast() {
        String text = GradientListing.of(derive("fashion_mnist")).text();
        assertTrue(text.contains("delta3 = softmax(out) - y\n"), text);
        assertTrue(text.contains("delta2 = (out.W' @ delta3) * relu'(h2.W @ h1 + h2.b)\n"), text);
        assertTrue(text.contains("dloss/dh1.W  = delta1 outer x\n"), text);
        assertTrue(text.contains("dloss/dout.b = delta3\n"), text);
    }

    @Test
    void aModelWithoutLayersKeepsTheSimplifiersProductsAndOtherNames() {
        String cube = GradientListing.of(derive("cube")).text();
        assertEquals("dloss/dx = 6 * (x + 5)^2 * ((x + 5)^3 + 1)\n", cube);
        // shared subterms that are no layer's error and no binding's adjoint: t1, t2
        Derivation d = Pipeline.derive(Pipeline.check(new SourceFile("shared.nn", """
                model shared {
                    param a = 1
                    param b = 2
                    loss = (a * b + 1)^3 + sin(a * b + 1)
                }
                """), null));
        String text = GradientListing.of(d).text();
        assertEquals("t1 = a * b + 1\nt2 = cos(t1) + 3 * t1^2\n\ndloss/da = b * t2\ndloss/db = a * t2\n", text);
    }

    @Test
    void everyNotationShowsTheFactoredDelta() {
        GradientListing listing = GradientListing.of(derive("sigmoid_121"));
        List<GradientListing.Equation> math = listing.equations(ExprPrinter.Notation.MATHML);
        GradientListing.Equation dW2 = math.get(2 + 2);
        assertTrue(dW2.rhs().contains("<mi>delta2</mi>") && dW2.rhs().contains("<mi>a1</mi>"), dW2.rhs());
        assertTrue(listing.latex().contains("\\mathrm{delta1} &= \\mathrm{delta2} \\cdot \\mathrm{W2} \\cdot \\mathrm{a1}"),
                listing.latex());
    }
}

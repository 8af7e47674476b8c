package dev.nnc.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.autodiff.GradientListing;
import dev.nnc.diag.SourceFile;
import dev.nnc.ops.Fn;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The MathML notation of {@link ExprPrinter}: each equation of a gradient listing is well-formed
 * MathML whose identifiers and numbers are the text notation's, in the same order (so no operand is
 * lost or swapped), with fractions, powers, roots and transposes in their MathML elements.
 */
class MathMlTest {

    /** A model whose gradients print nearly every kind of node. */
    static final String KINDS = """
            model kinds {
                input  x[3]
                target y[2]
                param W[2, 3]
                param b[2]
                param s = 2
                param M[2, 2]
                h    = relu(W @ x + b)
                u    = sqrt(abs(h) + 1) / s
                v    = exp(u) - softmax(h) * max(h, 0.5)
                loss = sum((v - y)^3) / 2 + logsumexp(h) - mean(tanh(h) * leaky_relu(h)) + sum(M @ M @ h)
            }
            """;

    /** Words of the text notation that MathML writes as marks: sqrt and abs as a root and bars, sum as a sigma, outer as a cross. */
    private static final Set<String> MARKS = Set.of("sqrt", "abs", "sum", "outer");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*|[0-9]+(?:\\.[0-9]+)?(?:e-?[0-9]+)?");

    static Stream<String> samples() throws IOException {
        Path root = Path.of(System.getProperty("nnc.root", ".")).resolve("samples");
        try (Stream<Path> files = Files.list(root)) {
            return files.filter(p -> p.toString().endsWith(".nn")).map(Path::toString).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void samplesPrintTheTextsTokensInOrder(String file) throws Exception {
        check(GradientListing.of(Pipeline.derive(Pipeline.check(Path.of(file), null))));
    }

    @Test
    void everyKindPrints() throws Exception {
        GradientListing listing = GradientListing.of(Pipeline.derive(Pipeline.check(new SourceFile("kinds.nn", KINDS), null)));
        Set<Kind> kinds = listing.printedKinds();
        for (Kind k : EnumSet.of(Kind.ADD, Kind.SUB, Kind.MUL, Kind.DIV, Kind.POW, Kind.NEG, Kind.MATMUL, Kind.OUTER,
                Kind.TRANSPOSE, Kind.GE, Kind.FN, Kind.SUM, Kind.MAX, Kind.SOFTMAX)) {
            assertTrue(kinds.contains(k), "the test model no longer prints " + k);
        }
        assertTrue(listing.printedFunctions().containsAll(EnumSet.of(Fn.SQRT, Fn.ABS, Fn.RELU_GRAD, Fn.EXP)));
        String all = String.join("\n", check(listing));
        for (String element : List.of("<mfrac>", "<msqrt>", "<msup>", "<mo>\u22a4</mo>", "<mo>\u2032</mo>", "<mo>\u2297</mo>",
                "<mo>\u2265</mo>", "<mo>\u2211</mo>", "<mi>softmax</mi><mo>\u2061</mo>")) {
            assertTrue(all.contains(element), element + " is not in\n" + all);
        }
    }

    /** Slices print as {@code x[1:5]} and their adjoints as {@code embed(a, [i] of [n])}, their numbers as mn. */
    @Test
    void slicesAndEmbedsPrint() throws Exception {
        Path file = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/good/indexing.nn");
        GradientListing listing = GradientListing.of(Pipeline.derive(Pipeline.check(file, null)));
        assertTrue(listing.printedKinds().containsAll(EnumSet.of(Kind.SLICE, Kind.EMBED)), "the listing prints " + listing.printedKinds());
        String all = String.join("\n", check(listing));
        for (String element : List.of("<mi>x</mi><mrow><mo>[</mo><mn>1</mn><mo>:</mo><mn>5</mn><mo>]</mo></mrow>",
                "<mi>embed</mi><mo>\u2061</mo>", "<mi>of</mi>")) {
            assertTrue(all.contains(element), element + " is not in\n" + all);
        }
    }

    /** Each equation parses, and its mi/mn tokens are the text's words and numbers; returns the MathML. */
    private static List<String> check(GradientListing listing) throws Exception {
        List<GradientListing.Equation> text = listing.equations(false);
        List<GradientListing.Equation> math = listing.equations(ExprPrinter.Notation.MATHML);
        List<String> printed = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String mathml = "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mrow>" + math.get(i).lhs() + "<mo>=</mo>"
                    + math.get(i).rhs() + "</mrow></math>";
            Document doc = parse(mathml);
            List<String> tokens = new ArrayList<>();
            collect(doc.getDocumentElement(), tokens);
            String lhs = text.get(i).lhs().startsWith("dloss/d") ? "loss " + text.get(i).lhs().substring(7) : text.get(i).lhs();
            assertEquals(tokens(lhs + " = " + text.get(i).rhs()), tokens, text.get(i) + "\n" + mathml);
            printed.add(mathml);
        }
        return printed;
    }

    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            if (!MARKS.contains(m.group())) {
                tokens.add(m.group());
            }
        }
        return tokens;
    }

    private static void collect(Element e, List<String> into) {
        if (e.getLocalName().equals("mi") || e.getLocalName().equals("mn")) {
            into.add(e.getTextContent());
            return;
        }
        NodeList children = e.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element c) {
                collect(c, into);
            }
        }
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }
}

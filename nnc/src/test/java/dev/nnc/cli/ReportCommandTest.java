package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.autodiff.Derivation;
import dev.nnc.autodiff.GradientListing;
import dev.nnc.check.CheckedModel;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * {@code nnc report}: the page of every sample, read back with the JDK's XML parser (the page is
 * XHTML): one MathML equation per line of the gradient listing, a graph node for every named value,
 * boxes that do not overlap, nothing referenced outside the page, the worked example's numbers as
 * {@code nnc trace} prints them; the training curves; the errors.
 */
class ReportCommandTest {

    static final String MATHML = "http://www.w3.org/1998/Math/MathML";
    static final String SVG = "http://www.w3.org/2000/svg";

    @TempDir
    Path dir;

    static Stream<String> samples() throws IOException {
        try (Stream<Path> files = Files.list(TrainerCommandsTest.SAMPLES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".nn")).sorted()
                    .map(n -> n.substring(0, n.length() - 3)).toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySampleHasItsPage(String name) throws Exception {
        Path page = dir.resolve(name + ".html");
        String sample = GradCommandTest.sample(name);
        CliRun r = TrainerCommandsTest.run("report", sample, "-o", page.toString());
        assertEquals(0, r.code(), r.all());
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertSelfContained(html);
        Document doc = parse(html);
        CheckedModel model = Pipeline.check(Path.of(sample), null);
        Derivation derivation = Pipeline.derive(model);
        assertEquations(doc, GradientListing.of(derivation).equations(false));
        assertGraph(doc, model);
        String trace = text(byId(doc, "trace").getParentNode());
        if (!InitialValues.available(model)) {
            assertTrue(trace.contains("has no data block"), trace);
        } else {
            assertEquals(1, doc.getElementsByTagName("table").getLength() - 1, "a parameter table and a trace table");
        }
    }

    @Test
    void sigmoid121TraceHoldsTheTutorialsNumbers() throws Exception {
        Path page = dir.resolve("sigmoid_121.html");
        CliRun r = TrainerCommandsTest.run("report", GradCommandTest.sample("sigmoid_121"), "-o", page.toString());
        assertEquals(0, r.code(), r.all());
        String html = Files.readString(page);
        assertTrue(html.contains("<td><code>dloss/dW2</code></td><td class=\"e\">delta2 * a1</td>"),
                "a parameter's backward row shows its gradient from the listing");
        Map<String, String> values = traceValues(parse(html));
        Map<String, String> tutorial = Map.of("z2", "1.13953", "yhat", "0.757593", "loss", "0.286974", "delta2 = dloss/dz2", "0.139129",
                "dloss/db2", "0.139129", "delta1 = dloss/dz1", "[0.0130783, 0.0143237]", "dloss/db1", "0.027402",
                "dloss/dW2", "[0.086602, 0.0898294]", "a1", "[0.622459, 0.645656]");
        tutorial.forEach((name, value) -> assertEquals(value, values.get(name), name + " in " + values));
        // and each of them as nnc trace prints it, on the line of its name
        CliRun trace = TrainerCommandsTest.run("trace", GradCommandTest.sample("sigmoid_121"));
        List<String> lines = trace.out().lines().map(String::strip).toList();
        values.forEach((name, value) -> {
            String first = value.lines().findFirst().orElse("");
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(name + " ") && l.endsWith(first)),
                    name + " = " + first + " is not in\n" + trace.out());
        });
    }

    @Test
    void theSamePageEveryTime() throws IOException {
        Path a = dir.resolve("a.html");
        Path b = dir.resolve("b.html");
        assertEquals(0, TrainerCommandsTest.run("report", GradCommandTest.sample("net_2321"), "-o", a.toString()).code());
        assertEquals(0, TrainerCommandsTest.run("report", GradCommandTest.sample("net_2321"), "-o", b.toString()).code());
        assertTrue(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)), "the pages differ");
    }

    @Test
    void trainDrawsTheCurves() throws Exception {
        Path page = dir.resolve("xor.html");
        CliRun r = TrainerCommandsTest.run("report", GradCommandTest.sample("xor"), "-o", page.toString(), "--train", "--epochs", "4");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("epoch 4/4"), "the run's progress goes to stderr: " + r.all());
        assertFalse(r.err().contains("drew the training curves"), "not the temporary plot the page takes in: " + r.all());
        String html = Files.readString(page);
        assertSelfContained(html);
        Document doc = parse(html);
        Element curves = null;
        NodeList svgs = doc.getElementsByTagNameNS(SVG, "svg");
        for (int i = 0; i < svgs.getLength(); i++) {
            Element svg = (Element) svgs.item(i);
            if (!svg.getAttribute("class").equals("graph")) {
                curves = svg;
            }
        }
        assertTrue(curves != null, "no curves' <svg>");
        String labels = text(curves);
        for (String label : List.of("xor: training curves", "epoch", "loss")) {
            assertTrue(labels.contains(label), label + " is not a <text> of the curves: " + labels);
        }
        assertFalse(r.err().contains("Exception"), r.all());
    }

    @Test
    void dataFileRowsWhenTheDataSetIsThere() throws Exception {
        Path images = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
        Assumptions.assumeTrue(Files.isRegularFile(images), "no Fashion-MNIST here (apt-get install dataset-fashion-mnist)");
        Path page = dir.resolve("fashion.html");
        String data = "idx(" + images + ", /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz)";
        CliRun r = TrainerCommandsTest.run("report", GradCommandTest.sample("fashion_mnist"), "-o", page.toString(), "--data", data);
        assertEquals(0, r.code(), r.all());
        Map<String, String> values = traceValues(parse(Files.readString(page)));
        assertTrue(values.containsKey("loss") && values.containsKey("dloss/dh1.W"), values.keySet().toString());
    }

    @Test
    void aMissingFolderIsExit2NamingIt() {
        Path page = dir.resolve("no/such/folder/report.html");
        CliRun r = TrainerCommandsTest.run("report", GradCommandTest.sample("cube"), "-o", page.toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains(page.getParent().toString()), r.all());
        assertFalse(Files.exists(page.getParent()));
    }

    @Test
    void aBrokenModelIsExit1WithItsDiagnostic() throws IOException {
        Path bad = dir.resolve("bad.nn");
        Files.writeString(bad, "model bad {\n    input x[2]\n    param W[3, 3]\n    loss = sum(W @ x)\n}\n");
        Path page = dir.resolve("bad.html");
        CliRun r = TrainerCommandsTest.run("report", bad.toString(), "-o", page.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("bad.nn:4:") && r.err().contains("error:"), r.all());
        assertFalse(Files.exists(page));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("bad.nn"), left.map(p -> p.getFileName().toString()).toList(), "a temporary file was left");
        }
    }

    @Test
    void aTrainerErrorIsItsExitCodeAndNoPage() {
        Path page = dir.resolve("x.html");
        CliRun r = TrainerCommandsTest.run("report", GradCommandTest.sample("xor"), "-o", page.toString(), "--train", "--epochs", "0");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("--epochs must be at least 1, found 0"), r.all());
        assertFalse(Files.exists(page));
    }

    @Test
    void trainerFlagsGoWithTrain() {
        CliRun r = TrainerCommandsTest.run("report", GradCommandTest.sample("xor"), "-o", dir.resolve("x.html").toString(),
                "--epochs", "3");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("--epochs goes with --train"), r.all());
    }

    // ---- reading the page

    static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }

    /** No file or network is referenced: no src=, links only to the page's own sections or data: URIs. */
    static void assertSelfContained(String html) {
        assertFalse(html.contains("src="), "src= in the page");
        assertFalse(html.contains("<link") || html.contains("<script") || html.contains("@import"), "a link, script or import");
        Matcher href = Pattern.compile("href\\s*=\\s*\"([^\"]*)\"").matcher(html);
        while (href.find()) {
            assertTrue(href.group(1).startsWith("#") || href.group(1).startsWith("data:"), "href=" + href.group(1));
        }
        // url(#id) is a reference inside the page (the curves' clip paths); anything else would leave it
        Matcher url = Pattern.compile("url\\(\\s*['\"]?([^)'\"]*)").matcher(html);
        while (url.find()) {
            assertTrue(url.group(1).startsWith("#") || url.group(1).startsWith("data:"), "url(" + url.group(1) + ")");
        }
    }

    /** One {@code <math>} per listing line, in order, its left side the line's name. */
    private static void assertEquations(Document doc, List<GradientListing.Equation> listing) {
        NodeList maths = doc.getElementsByTagNameNS(MATHML, "math");
        assertEquals(listing.size(), maths.getLength(), "one <math> per equation");
        for (int i = 0; i < listing.size(); i++) {
            Element math = (Element) maths.item(i);
            String lhs = listing.get(i).lhs();
            assertEquals("block", math.getAttribute("display"));
            assertEquals(lhs, math.getAttribute("data-lhs"));
            Element left = firstElement(firstElement(math));
            String shown = lhs.startsWith("dloss/d") ? lhs.substring("dloss/d".length()) : lhs;
            assertTrue(text(left).contains(shown), "the left side of " + lhs + " reads " + text(left));
            if (lhs.startsWith("dloss/d")) {
                assertEquals("mfrac", left.getLocalName(), lhs);
            }
        }
    }

    /** A node labelled with every input, target, parameter and named value; no two boxes overlap. */
    private static void assertGraph(Document doc, CheckedModel model) {
        NodeList svgs = doc.getElementsByTagNameNS(SVG, "svg");
        List<Element> graphs = new ArrayList<>();
        for (int i = 0; i < svgs.getLength(); i++) {
            if (((Element) svgs.item(i)).getAttribute("class").equals("graph")) {
                graphs.add((Element) svgs.item(i));
            }
        }
        assertEquals(2, graphs.size(), "the forward graph and the one with the gradients");
        for (Element graph : graphs) {
            List<String> labels = new ArrayList<>();
            List<double[]> boxes = new ArrayList<>();
            NodeList groups = graph.getElementsByTagNameNS(SVG, "g");
            for (int i = 0; i < groups.getLength(); i++) {
                Element g = (Element) groups.item(i);
                labels.add(text(g.getElementsByTagNameNS(SVG, "text").item(0)));
                Element rect = (Element) g.getElementsByTagNameNS(SVG, "rect").item(0);
                boxes.add(new double[] {num(rect, "x"), num(rect, "y"), num(rect, "width"), num(rect, "height")});
            }
            List<String> names = new ArrayList<>();
            model.params().forEach(p -> names.add(p.name()));
            model.inputs().forEach(v -> names.add(v.name()));
            model.targets().forEach(v -> names.add(v.name()));
            model.bindings().forEach(b -> names.add(b.name()));
            for (String name : names) {
                assertTrue(labels.stream().anyMatch(l -> Arrays.asList(l.split(" = ")).contains(name)),
                        "no node labelled " + name + " in " + labels);
            }
            for (int i = 0; i < boxes.size(); i++) {
                for (int j = i + 1; j < boxes.size(); j++) {
                    double[] a = boxes.get(i);
                    double[] b = boxes.get(j);
                    boolean overlap = a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
                    assertFalse(overlap, labels.get(i) + " overlaps " + labels.get(j));
                }
            }
        }
    }

    /** Name to value of the trace table's rows with one value (the first column's for several samples). */
    private static Map<String, String> traceValues(Document doc) {
        Map<String, String> values = new LinkedHashMap<>();
        NodeList tables = doc.getElementsByTagName("table");
        Element table = (Element) tables.item(tables.getLength() - 1);
        assertEquals("trace", table.getAttribute("class"));
        NodeList rows = table.getElementsByTagName("tr");
        for (int i = 0; i < rows.getLength(); i++) {
            NodeList cells = ((Element) rows.item(i)).getElementsByTagName("td");
            if (cells.getLength() >= 3) {
                values.put(text(cells.item(0)), text(cells.item(2)));
            }
        }
        return values;
    }

    private static Element byId(Document doc, String id) {
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            if (id.equals(((Element) all.item(i)).getAttribute("id"))) {
                return (Element) all.item(i);
            }
        }
        throw new AssertionError("no #" + id);
    }

    private static Element firstElement(org.w3c.dom.Node parent) {
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        throw new AssertionError("no element in " + parent.getNodeName());
    }

    private static String text(org.w3c.dom.Node n) {
        return n.getTextContent();
    }

    private static double num(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }
}

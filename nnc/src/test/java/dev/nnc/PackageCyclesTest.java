package dev.nnc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of {@code src/main/java/dev/nnc} form no cycle, and the runtime library
 * ({@code nnc-runtime}) that every generated model uses depends on no other part of nnc.
 *
 * <p>A package is the first folder under {@code dev/nnc} (so the generated {@code dev.nnc.syntax.antlr}
 * would count as {@code syntax}); the classes directly in {@code dev/nnc} ({@code Pipeline}) are the
 * package {@code dev.nnc}. A package depends on another when one of its files names it: an
 * {@code import dev.nnc.x...} or a fully qualified {@code dev.nnc.x.} in code (comments and string
 * literals do not count). This test asks only for no cycle; the layering today (docs/design.md), each
 * package using only those before it, is
 *
 * <pre>
 *   tensor, diag &lt;- syntax &lt;- check &lt;- graph &lt;- simplify &lt;- autodiff &lt;- eval &lt;- lower &lt;- emit
 *     &lt;- compile &lt;- bench &lt;- cli &lt;- dev.nnc (Pipeline)
 * </pre>
 *
 * with {@code runtime} on its own: the library is a module of its own, and the compiler's one class
 * in that package, {@code Support} (nnc's facade over the library's readers), is used by cli.
 */
class PackageCyclesTest {

    /** {@code dev.nnc.} followed by a subpackage (lower case) or a top-level class (upper case). */
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\s*\\.\\s*nnc\\s*\\.\\s*([A-Za-z_$][A-Za-z0-9_$]*)");

    static final String ROOT = "dev.nnc";

    /** {@code src/main/java} from the module's folder, or from the folder above it. */
    static Path sourceRoot() {
        Path base = Path.of(System.getProperty("basedir", "."));
        for (Path candidate : List.of(base.resolve("src/main/java"), base.resolve("nnc/src/main/java"))) {
            if (Files.isDirectory(candidate.resolve("dev/nnc"))) {
                return candidate;
            }
        }
        return fail("no src/main/java/dev/nnc under " + base.toAbsolutePath() + " or its nnc/ folder");
    }

    /** A source file, its package (as this test counts them), and its dependencies on other packages. */
    record Source(Path path, String pkg, Set<String> uses) {}

    static List<Source> sources() {
        return sources(sourceRoot());
    }

    /** The runtime library's {@code src/main/java}, beside the compiler's module. */
    static Path runtimeRoot() {
        Path root = Path.of(System.getProperty("nnc.root", "."), "nnc-runtime/src/main/java");
        return Files.isDirectory(root) ? root : fail("no " + root.toAbsolutePath());
    }

    static List<Source> sources(Path javaRoot) {
        Path nnc = javaRoot.resolve("dev/nnc");
        List<Source> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(nnc)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Path rel = nnc.relativize(p);
                String pkg = rel.getNameCount() == 1 ? ROOT : rel.getName(0).toString();
                Set<String> uses = new TreeSet<>(references(code(Files.readString(p, StandardCharsets.UTF_8))));
                uses.remove(pkg);
                out.add(new Source(p, pkg, uses));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The packages a file's code names: {@code dev.nnc.graph.Node} is graph, {@code dev.nnc.Pipeline} the root. */
    static Set<String> references(String code) {
        Set<String> out = new TreeSet<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            String name = m.group(1);
            out.add(Character.isUpperCase(name.charAt(0)) ? ROOT : name);
        }
        return out;
    }

    /** The text with comments, string and text-block literals and character literals blanked out. */
    static String code(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (text.startsWith("//", i)) {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (text.startsWith("\"\"\"", i)) {
                i += 3;
                while (i < n && !text.startsWith("\"\"\"", i)) {
                    i += text.charAt(i) == '\\' ? 2 : 1;
                }
                i += 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && text.charAt(i) != c && text.charAt(i) != '\n') {
                    i += text.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** package -> the packages it uses -> the files that use them. */
    static Map<String, Map<String, Set<String>>> graph(List<Source> sources) {
        Map<String, Map<String, Set<String>>> g = new TreeMap<>();
        for (Source s : sources) {
            Map<String, Set<String>> edges = g.computeIfAbsent(s.pkg(), k -> new TreeMap<>());
            for (String u : s.uses()) {
                edges.computeIfAbsent(u, k -> new TreeSet<>()).add(s.path().getFileName().toString());
                g.computeIfAbsent(u, k -> new TreeMap<>());
            }
        }
        return g;
    }

    /** Tarjan's strongly connected components, each sorted, in a stable order. */
    static List<List<String>> components(Map<String, ? extends Map<String, ?>> g) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        for (String v : g.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, g, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, ? extends Map<String, ?>> g, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : g.get(v).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, g, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            component.sort(null);
            out.add(component);
        }
    }

    /** A shortest cycle through the first package of a component, within it: [a, b, c, a]. */
    static List<String> cycle(List<String> component, Map<String, ? extends Map<String, ?>> g) {
        String start = component.get(0);
        Map<String, String> via = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String v = queue.removeFirst();
            for (String w : g.get(v).keySet()) {
                if (w.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String u = v; !u.equals(start); u = via.get(u)) {
                        path.add(1, u);
                    }
                    path.add(start);
                    return path;
                }
                if (component.contains(w) && !via.containsKey(w)) {
                    via.put(w, v);
                    queue.addLast(w);
                }
            }
        }
        throw new IllegalStateException("no cycle through " + start + " in " + component);
    }

    @Test
    void thePackagesFormNoCycle() {
        List<Source> sources = sources();
        Map<String, Map<String, Set<String>>> g = graph(sources);
        assertTrue(g.size() >= 10 && g.values().stream().mapToInt(Map::size).sum() >= 10,
                "the scan found too little to judge: " + g);
        List<String> problems = new ArrayList<>();
        for (List<String> component : components(g)) {
            if (component.size() > 1) {
                List<String> cycle = cycle(component, g);
                StringBuilder why = new StringBuilder("package cycle: " + String.join(" -> ", cycle) + " (");
                for (int i = 0; i + 1 < cycle.size(); i++) {
                    why.append(i == 0 ? "" : "; ").append(cycle.get(i)).append(" -> ").append(cycle.get(i + 1))
                            .append(" in ").append(String.join(", ", g.get(cycle.get(i)).get(cycle.get(i + 1))));
                }
                why.append(")");
                if (component.size() > cycle.size() - 1) {
                    why.append("; the packages ").append(component).append(" all reach one another");
                }
                problems.add(why.toString());
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    void theRuntimeUsesNoOtherPackage() {
        List<String> problems = new ArrayList<>();
        List<Source> runtime = sources(runtimeRoot());
        for (Source s : runtime) {
            assertEquals("runtime", s.pkg(), s.path() + ": the library holds dev.nnc.runtime alone");
            for (String u : s.uses()) {
                problems.add("runtime/" + s.path().getFileName() + " uses " + (u.equals(ROOT) ? ROOT : ROOT + "." + u));
            }
        }
        assertTrue(runtime.size() >= 10, "the scan found only " + runtime.size() + " runtime files");
        assertEquals(List.of(), problems, "the runtime library must use no other package of nnc");
    }

    /** The scanner itself: comments and literals do not count, the ones in code do. */
    @Test
    void referencesInCodeCountAndInCommentsAndStringsDoNot() {
        String text = """
                import dev.nnc.graph.Node; // dev.nnc.lower.Step
                import static dev.nnc.tensor.Shape.SCALAR;
                /* dev.nnc.emit.Helpers
                   dev.nnc.compile.Warmup */
                /** {@link dev.nnc.cli.Main} */
                class A {
                    String s = "dev.nnc.bench.Bench \\" dev.nnc.diag.Pos";
                    String t = \"""
                        dev.nnc.syntax.Parser
                        \""";
                    char q = '"';
                    dev.nnc.check.CheckedModel m;
                    Object p = dev.nnc.Pipeline.class;
                    Object e = dev.nnc.eval.Evaluator.evaluate(null, null);
                }
                """;
        assertEquals(Set.of("graph", "tensor", "check", ROOT, "eval"), references(code(text)));
    }

    @Test
    void aCycleIsFoundAndNamed() {
        Map<String, Map<String, Set<String>>> g = new TreeMap<>();
        g.put("autodiff", new TreeMap<>(Map.of("simplify", Set.of(), "graph", Set.of())));
        g.put("simplify", new TreeMap<>(Map.of("eval", Set.of(), "graph", Set.of())));
        g.put("eval", new TreeMap<>(Map.of("autodiff", Set.of())));
        g.put("graph", new TreeMap<>());
        List<List<String>> big = components(g).stream().filter(c -> c.size() > 1).toList();
        assertEquals(List.of(List.of("autodiff", "eval", "simplify")), big);
        assertEquals(List.of("autodiff", "simplify", "eval", "autodiff"), cycle(big.get(0), g));
    }
}

package dev.nnc.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The elementwise functions a predictor calls, as Java taken from the runtime's own {@code NncMath.java}
 * ({@link RuntimeSources}): the methods asked for, in one precision, with every method and constant
 * they use, in the file's order and with their Javadoc. The runtime's file stays the one definition of
 * each function; a predictor carries the copy as a private nested class, so it depends on the JDK alone
 * and computes exactly as the full model does.
 *
 * <pre>
 *   functions(Set.of("relu", "gelu"), f32)  -&gt;  relu(float), gelu(float), gelu(double), normalCdf(double),
 *                                               erfc(double), erfSeries(double), erfcFraction(double), SQRT1_2, ...
 * </pre>
 *
 * The file is parsed and attributed once per JVM by the JDK's own compiler (its tree API), so a call
 * resolves to the overload it really calls.
 */
final class MathSource {

    /** The class the functions come from, as the runtime's index names it. */
    private static final String FILE = "NncMath";

    /**
     * One member of {@code NncMath}: a method or a constant, its JavaPoet form, and the members its
     * body or initializer uses (indices into the member list).
     *
     * @param parameterTypes the method's parameter types ({@code float}, {@code float[]}); empty for a constant
     */
    private record Member(String name, List<String> parameterTypes, Object spec, Set<Integer> uses) {}

    private static volatile List<Member> members;

    private MathSource() {}

    /**
     * The class {@code name} holding the methods {@code methods} of {@code NncMath} whose parameters are
     * all {@code float} (or {@code float[]}) when {@code f32}, else {@code double}, and what they use.
     */
    static TypeSpec functions(String name, Set<String> methods, boolean f32, String javadoc) {
        List<Member> all = members();
        String scalar = f32 ? "float" : "double";
        Deque<Integer> pending = new ArrayDeque<>();
        for (int k = 0; k < all.size(); k++) {
            Member m = all.get(k);
            if (methods.contains(m.name()) && !m.parameterTypes().isEmpty()
                    && m.parameterTypes().stream().allMatch(p -> p.equals(scalar) || p.equals(scalar + "[]"))) {
                pending.add(k);
            }
        }
        Set<Integer> chosen = new java.util.TreeSet<>();
        while (!pending.isEmpty()) {
            int k = pending.pop();
            if (chosen.add(k)) {
                pending.addAll(all.get(k).uses());
            }
        }
        Set<String> found = new LinkedHashSet<>();
        chosen.forEach(k -> found.add(all.get(k).name()));
        if (!found.containsAll(methods)) {
            Set<String> missing = new java.util.TreeSet<>(methods);
            missing.removeAll(found);
            throw new IllegalStateException("NncMath has no " + scalar + " method " + missing);
        }
        TypeSpec.Builder type = TypeSpec.classBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("$L", javadoc)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        for (int k : chosen) {
            if (all.get(k).spec() instanceof FieldSpec f) {
                type.addField(f);
            } else {
                type.addMethod((MethodSpec) all.get(k).spec());
            }
        }
        return type.build();
    }

    private static List<Member> members() {
        List<Member> m = members;
        if (m == null) {
            m = parse(RuntimeSources.files(false).get(FILE));
            members = m;
        }
        return m;
    }

    /** Every static method and constant of the file, in its order, as JavaPoet specs with their uses resolved. */
    private static List<Member> parse(String text) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + FILE + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
        JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(file));
        try {
            CompilationUnitTree unit = task.parse().iterator().next();
            task.analyze();
            Trees trees = Trees.instance(task);
            ClassTree type = (ClassTree) unit.getTypeDecls().get(0);
            List<Element> elements = new ArrayList<>();
            List<TreePath> paths = new ArrayList<>();
            for (Tree t : type.getMembers()) {
                TreePath path = TreePath.getPath(unit, t);
                Element e = trees.getElement(path);
                if (e != null && e.getModifiers().contains(Modifier.STATIC)) {
                    elements.add(e);
                    paths.add(path);
                }
            }
            List<Member> result = new ArrayList<>();
            for (int k = 0; k < elements.size(); k++) {
                TreePath path = paths.get(k);
                Set<Integer> uses = new java.util.TreeSet<>();
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitIdentifier(IdentifierTree node, Void unused) {
                        int used = elements.indexOf(trees.getElement(getCurrentPath()));
                        if (used >= 0) {
                            uses.add(used);
                        }
                        return null;
                    }
                }.scan(path, null);
                result.add(member(elements.get(k), path, trees, text, uses));
            }
            return List.copyOf(result);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Member member(Element e, TreePath path, Trees trees, String text, Set<Integer> uses) {
        String doc = trees.getDocComment(path);
        SourcePositions at = trees.getSourcePositions();
        CompilationUnitTree unit = path.getCompilationUnit();
        if (e instanceof VariableElement v) {
            VariableTree tree = (VariableTree) path.getLeaf();
            FieldSpec.Builder f = FieldSpec.builder(TypeName.get(v.asType()), v.getSimpleName().toString())
                    .addModifiers(e.getModifiers().toArray(Modifier[]::new))
                    .initializer("$L", slice(text, at, unit, tree.getInitializer()));
            if (doc != null) {
                f.addJavadoc("$L\n", doc.strip());
            }
            return new Member(v.getSimpleName().toString(), List.of(), f.build(), Set.copyOf(uses));
        }
        ExecutableElement method = (ExecutableElement) e;
        MethodTree tree = (MethodTree) path.getLeaf();
        MethodSpec.Builder m = MethodSpec.methodBuilder(method.getSimpleName().toString())
                .addModifiers(e.getModifiers().toArray(Modifier[]::new))
                .returns(TypeName.get(method.getReturnType()));
        List<String> types = new ArrayList<>();
        for (VariableElement p : method.getParameters()) {
            m.addParameter(ParameterSpec.builder(TypeName.get(p.asType()), p.getSimpleName().toString()).build());
            types.add(p.asType().toString());
        }
        if (doc != null) {
            m.addJavadoc("$L\n", doc.strip());
        }
        String body = slice(text, at, unit, tree.getBody());
        m.addCode(CodeBlock.of("$L", dedent(body.substring(1, body.length() - 1))));
        return new Member(method.getSimpleName().toString(), List.copyOf(types), m.build(), Set.copyOf(uses));
    }

    private static String slice(String text, SourcePositions at, CompilationUnitTree unit, Tree tree) {
        return text.substring((int) at.getStartPosition(unit, tree), (int) at.getEndPosition(unit, tree));
    }

    /** A block's inside, its first and last empty lines dropped and its common indentation removed, each line ending in a newline. */
    static String dedent(String block) {
        List<String> lines = new ArrayList<>(List.of(block.split("\n", -1)));
        while (!lines.isEmpty() && lines.get(0).isBlank()) {
            lines.remove(0);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return b.toString();
    }
}

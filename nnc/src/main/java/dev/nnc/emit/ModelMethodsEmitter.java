package dev.nnc.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.lower.Names;
import dev.nnc.lower.ParamInit;
import dev.nnc.lower.TrainerProgram;
import dev.nnc.lower.Var;
import dev.nnc.runtime.LearningRateSchedule;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;

/**
 * The plumbing of {@code NncModel} around the generated loops: the schema and defaults of the model,
 * its inline data, and moving weights, gradients and outputs in and out as flat double arrays, so
 * the generic driver of the runtime library can train, evaluate, save and check it.
 */
final class ModelMethodsEmitter {

    private static final ClassName SCHEMA = Runtime.SCHEMA;
    private static final ClassName DATASET = Runtime.DATASET;
    private static final ClassName DRIVER = Runtime.DRIVER;
    private static final ClassName DEFAULTS = Runtime.DEFAULTS;

    private final TrainerProgram program;
    private final Types t;
    private final List<Var> params;
    private final List<Var> grads;

    ModelMethodsEmitter(TrainerProgram program, Types t) {
        this.program = program;
        this.t = t;
        this.params = program.train().params();
        this.grads = program.train().grads();
    }

    private List<CheckedModel.Variable> variables() {
        List<CheckedModel.Variable> vars = new ArrayList<>(program.inputs());
        vars.addAll(program.targets());
        return vars;
    }

    /** {@code SCHEMA}: inputs, targets, output and parameters with their names and shapes, and the dtype. */
    FieldSpec schemaField() {
        CodeBlock inputs = join(program.inputs().stream().map(v -> variable(v.name(), v.shape(), 0)).toList());
        CodeBlock targets = join(program.targets().stream()
                .map(v -> variable(v.name(), v.shape(), v.onehot() ? v.shape().dim(0) : 0)).toList());
        Var out = program.predict().output() != null ? program.predict().output() : program.infer().output();
        CodeBlock output = program.output() == null || out == null ? CodeBlock.of("null") : variable(program.output(), out.shape(), 0);
        CodeBlock parameters = CodeBlock.join(program.init().stream().map(p -> variable(p.name(), p.param().shape(), 0)).toList(), ",\n");
        // a binary classifier: how accuracy reads the output (Schema.Binary.logit("y") or .probability("y"))
        CodeBlock binary = program.binary() == null ? CodeBlock.of("")
                : CodeBlock.of(",\n$T.$L($S)", Runtime.BINARY, program.binary().logit() ? "logit" : "probability", program.binary().target());
        return FieldSpec.builder(Runtime.PUBLIC_SCHEMA, "SCHEMA", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Inputs, targets, output and parameters, with their names and shapes; the dtype"
                        + (program.binary() == null ? "" : "; how accuracy reads the output of this binary classifier") + ".\n")
                .initializer("new $T($S, $L,\n$>$>new $T[] {$L},\nnew $T[] {$L},\n$L,\nnew $T[] {\n$>$L$<}$L)$<$<", Runtime.PUBLIC_SCHEMA,
                        program.model(), !t.f32(), Runtime.VARIABLE, inputs, Runtime.VARIABLE, targets, output, Runtime.VARIABLE,
                        parameters, binary)
                .build();
    }

    private static CodeBlock variable(String name, dev.nnc.tensor.Shape shape, int classes) {
        return CodeBlock.of("new $T($S, new int[] {$L}, $L)", Runtime.VARIABLE, name,
                join(shape.dims().stream().map(d -> CodeBlock.of("$L", d)).toList()), classes);
    }

    /**
     * {@code DEFAULTS}: the train block, which the trainer's flags override. The folder its relative
     * paths resolve against is written only when it names one, so a class names no folder of the
     * machine it was compiled on without need.
     */
    FieldSpec defaultsField(String baseDir) {
        TrainConfig c = program.config();
        boolean relative = Stream.of(c.data(), c.test()).filter(Objects::nonNull)
                .flatMap(s -> s.paths().stream()).anyMatch(p -> !isAbsolute(p));
        CodeBlock.Builder init = CodeBlock.builder().add("new $T($L, $L, $L, $LL, $L, $L, $L, $L)", DEFAULTS, c.epochs(), c.batch(),
                c.shuffle(), c.seed(), source(c.data()), source(c.test()), baseDir == null || !relative ? "null" : CodeBlock.of("$S", baseDir),
                program.data() == null ? "null" : "inlineData()");
        if (!(c.schedule() instanceof LearningRateSchedule.Constant)) {
            init.add("\n$>$>.withSchedule($L)$<$<", schedule(c.schedule()));
        }
        if (c.clipNorm() > 0) {
            init.add("\n$>$>.withClipNorm($L)$<$<", c.clipNorm());
        }
        return FieldSpec.builder(DEFAULTS, "DEFAULTS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The model's train block; the command line's flags override it.\n")
                .initializer(init.build())
                .build();
    }

    /** {@code LearningRateSchedule.warmup(5, LearningRateSchedule.cosine(20, 0.0))}: the schedule as the runtime makes it. */
    private static CodeBlock schedule(LearningRateSchedule s) {
        if (s instanceof LearningRateSchedule.Step step) {
            return CodeBlock.of("$T.step($L, $L)", Runtime.SCHEDULE, step.every(), step.gamma());
        }
        if (s instanceof LearningRateSchedule.Cosine cosine) {
            return CodeBlock.of("$T.cosine($L, $L)", Runtime.SCHEDULE, cosine.epochs(), cosine.minLr());
        }
        if (s instanceof LearningRateSchedule.Warmup warmup) {
            return warmup.then() instanceof LearningRateSchedule.Constant ? CodeBlock.of("$T.warmup($L)", Runtime.SCHEDULE, warmup.steps())
                    : CodeBlock.of("$T.warmup($L, $L)", Runtime.SCHEDULE, warmup.steps(), schedule(warmup.then()));
        }
        return CodeBlock.of("$T.constant()", Runtime.SCHEDULE);
    }

    private static boolean isAbsolute(String path) {
        try {
            return Path.of(path).isAbsolute();
        } catch (InvalidPathException e) {
            return false; // the trainer says what is wrong with it
        }
    }

    private static CodeBlock source(TrainConfig.DataSource s) {
        if (s == null) {
            return CodeBlock.of("null");
        }
        return CodeBlock.of("$S", s.text());
    }

    /** Up to this many numbers, a data block is written as array literals (at most 8 bytes of code each). */
    static final int MAX_LITERALS = 2048;

    /** The longest string constant written: the class file allows 65,535 bytes (here one a character). */
    static final int MAX_TEXT = 60_000;

    /**
     * The data block, baked in: one array per variable, in the trainer's dtype. Array literals while
     * the block is small; beyond {@link #MAX_LITERALS} numbers, which could overflow javac's 64 KiB
     * of code per method, the numbers as text, parsed once ({@code NncArrays.floats}).
     */
    MethodSpec inlineData() {
        CheckedModel.InlineData data = program.data();
        List<CheckedModel.Variable> vars = variables();
        boolean literals = vars.stream().mapToLong(v -> (long) data.samples() * (v.onehot() ? 1 : v.shape().size())).sum()
                <= MAX_LITERALS;
        List<CodeBlock> values = new ArrayList<>();
        List<CodeBlock> labels = new ArrayList<>();
        for (CheckedModel.Variable v : vars) {
            List<String> numbers = new ArrayList<>();
            for (double[] row : data.rows(v.name())) {
                if (v.onehot()) {
                    numbers.add(Integer.toString((int) row[0]));
                } else {
                    for (double x : row) {
                        numbers.add(literals ? t.literal(x).toString() : t.number(x));
                    }
                }
            }
            TypeName element = v.onehot() ? TypeName.INT : t.scalar();
            String parse = v.onehot() ? "ints" : t.f32() ? "floats" : "doubles";
            CodeBlock array = literals
                    ? CodeBlock.of("new $T[] {$L}", element, String.join(", ", numbers))
                    : CodeBlock.of("$T.$L($L, $L)", Runtime.ARRAYS, parse, numbers.size(), join(text(numbers)));
            values.add(v.onehot() ? CodeBlock.of("null") : array);
            labels.add(v.onehot() ? array : CodeBlock.of("null"));
        }
        TypeName valuesType = ArrayTypeName.of(ArrayTypeName.of(t.scalar()));
        return MethodSpec.methodBuilder("inlineData").addModifiers(Modifier.STATIC).returns(DATASET)
                .addJavadoc("The $L samples of the model's data block.\n", data.samples())
                .addStatement("$T values = {$L}", valuesType, join(values))
                .addStatement("int[][] labels = {$L}", join(labels))
                .addStatement("return new $T($L, $L, $L, labels)", DATASET, data.samples(),
                        t.f32() ? "values" : "null", t.f32() ? "null" : "values")
                .build();
    }

    /** {@code numbers} separated by spaces, as string literals of at most {@link #MAX_TEXT} characters. */
    private static List<CodeBlock> text(List<String> numbers) {
        List<CodeBlock> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (String n : numbers) {
            if (part.length() + n.length() + 1 > MAX_TEXT) {
                parts.add(CodeBlock.of("$S", part));
                part.setLength(0);
            }
            part.append(part.length() == 0 ? "" : " ").append(n);
        }
        parts.add(CodeBlock.of("$S", part));
        return parts;
    }

    /** Points the data_* arrays at a data set's. */
    MethodSpec useData() {
        MethodSpec.Builder m = override("useData").addParameter(DATASET, "data");
        List<CheckedModel.Variable> vars = variables();
        for (int v = 0; v < vars.size(); v++) {
            CheckedModel.Variable var = vars.get(v);
            if (var.onehot()) {
                m.addStatement("$N = data == null ? null : data.labels[$L]", Names.data(var.name()), v);
            } else {
                m.addStatement("$N = data == null ? null : data.$L[$L]", Names.data(var.name()), t.f32() ? "f32" : "f64", v);
                if (v < program.inputs().size()) {
                    m.addStatement("$N = data == null ? null : data.u8[$L]", Names.dataBytes(var.name()), v);
                }
            }
        }
        return m.build();
    }

    MethodSpec paramNames() {
        return override("paramNames").returns(ArrayTypeName.of(String.class))
                .addStatement("return new String[] {$L}", join(program.init().stream().map(p -> CodeBlock.of("$S", p.name())).toList()))
                .build();
    }

    MethodSpec paramShapes() {
        List<CodeBlock> shapes = new ArrayList<>();
        for (ParamInit p : program.init()) {
            shapes.add(CodeBlock.of("{$L}", join(p.param().shape().dims().stream().map(d -> CodeBlock.of("$L", d)).toList())));
        }
        return override("paramShapes").returns(int[][].class).addStatement("return new int[][] {$L}", join(shapes)).build();
    }

    /** weights() and gradients(): every buffer copied out, flat and row-major, as doubles. */
    MethodSpec copyOut(String name, List<Var> vars) {
        return override(name).returns(double[][].class).addStatement("return new double[][] {$L}", flatAll(vars, false)).build();
    }

    /** {@code NncArrays.flat(W1), {s}, ...}, and the step count last when {@code steps}. */
    private static CodeBlock flatAll(List<Var> vars, boolean steps) {
        CodeBlock.Builder all = CodeBlock.builder();
        for (int k = 0; k < vars.size(); k++) {
            Var v = vars.get(k);
            all.add(k == 0 ? "" : ", ");
            all.add(v.isScalar() ? CodeBlock.of("{$N}", v.name()) : CodeBlock.of("$T.flat($N)", Runtime.ARRAYS, v.name()));
        }
        return steps ? all.add(vars.isEmpty() ? "{step}" : ", {step}").build() : all.build();
    }

    /** nonFiniteGradient(): a scan of the gradient buffers, allocating nothing. */
    MethodSpec nonFiniteGradient() {
        MethodSpec.Builder m = override("nonFiniteGradient").returns(TypeName.INT);
        for (int k = 0; k < grads.size(); k++) {
            Var g = grads.get(k);
            CodeBlock finite = g.isScalar() ? CodeBlock.of("$T.isFinite($N)", t.f32() ? Float.class : Double.class, g.name())
                    : CodeBlock.of("$T.finite($N)", Runtime.ARRAYS, g.name());
            m.beginControlFlow("if (!$L)", finite).addStatement("return $L", k).endControlFlow();
        }
        return m.addStatement("return -1").build();
    }

    /** gradientNorms(): each gradient's 2-norm, for clip_norm, allocating only the result. */
    MethodSpec gradientNorms() {
        CodeBlock norms = CodeBlock.join(grads.stream().map(g -> g.isScalar() ? CodeBlock.of("$T.abs($N)", Math.class, g.name())
                : CodeBlock.of("$T.norm($N)", Runtime.ARRAYS, g.name())).toList(), ", ");
        return override("gradientNorms").returns(double[].class).addStatement("return new double[] {$L}", norms).build();
    }

    /**
     * scaleGradients(scale): every gradient times scale, in the trainer's dtype (clip_norm). {@code scale}
     * is a name {@code Names} keeps from the model's values.
     */
    MethodSpec scaleGradients() {
        MethodSpec.Builder m = override("scaleGradients").addParameter(TypeName.DOUBLE, "scale");
        for (Var g : grads) {
            if (g.isScalar()) {
                m.addStatement("$N *= $Lscale", g.name(), t.f32() ? "(float) " : "");
            } else {
                m.addStatement("$T.scale($N, scale)", Runtime.ARRAYS, g.name());
            }
        }
        return m.build();
    }

    /**
     * setWeights(values) and setGradients(values): every buffer replaced from flat row-major doubles.
     * {@code values} is a name {@code Names} keeps from the model's values, so no buffer is hidden by it.
     */
    MethodSpec copyIn(String name, List<Var> vars, boolean gradients) {
        MethodSpec.Builder m = override(name).addParameter(double[][].class, "values");
        for (int k = 0; k < vars.size(); k++) {
            Var v = vars.get(k);
            if (v.isScalar()) {
                m.addStatement("$N = $Lvalues[$L][0]", v.name(), t.f32() ? "(float) " : "", k);
            } else {
                m.addStatement("$T.unflat(values[$L], $N)", Runtime.ARRAYS, k, v.name());
            }
        }
        if (gradients) {
            m.addStatement("gradientsStale = true");
        }
        return m.build();
    }

    /**
     * setWeight(p, i, value): element {@code i} (flat, row-major) of parameter {@code p} set, the others
     * left as they are, at no cost that grows with the model ({@code gradcheck} changes one element per
     * difference). {@code p}, {@code i} and {@code value} are names {@code Names} keeps from the model's values.
     */
    MethodSpec setWeight() {
        MethodSpec.Builder m = override("setWeight").addParameter(TypeName.INT, "p").addParameter(TypeName.INT, "i")
                .addParameter(TypeName.DOUBLE, "value");
        String cast = t.f32() ? "(float) " : "";
        for (int k = 0; k < params.size(); k++) {
            Var v = params.get(k);
            if (k == 0) {
                m.beginControlFlow("if (p == $L)", k);
            } else {
                m.nextControlFlow("else if (p == $L)", k);
            }
            if (v.isScalar()) {
                m.addStatement("$N = $Lvalue", v.name(), cast);
            } else if (v.shape().rank() == 1) {
                m.addStatement("$N[i] = $Lvalue", v.name(), cast);
            } else {
                int cols = v.shape().dim(1);
                m.addStatement("$N[i / $L][i % $L] = $Lvalue", v.name(), cols, cols, cast);
            }
        }
        CodeBlock none = CodeBlock.of("throw new $T($S + p)", IndexOutOfBoundsException.class, "no parameter ");
        if (params.isEmpty()) {
            return m.addStatement(none).build();
        }
        return m.nextControlFlow("else").addStatement(none).endControlFlow().build();
    }

    /**
     * state() and setState(values): the parameters and optimizer buffers ({@code vars}), then the step
     * count when the optimizer keeps one, then the dropout masks' generator when the model has dropout.
     */
    List<MethodSpec> state(List<Var> vars, boolean countsSteps, boolean dropout) {
        CodeBlock all = flatAll(vars, countsSteps);
        if (dropout) {
            all = CodeBlock.of("$L, $N.state()", all, StepEmitter.DROPOUT);
        }
        MethodSpec get = override("state").returns(double[][].class)
                .addStatement("return new double[][] {$L}", all).build();
        MethodSpec.Builder set = copyIn("setState", vars, false).toBuilder();
        if (countsSteps) {
            set.addStatement("step = (int) values[$L][0]", vars.size());
        }
        if (dropout) {
            set.addStatement("$N.setState(values[$L])", StepEmitter.DROPOUT, vars.size() + (countsSteps ? 1 : 0));
        }
        return List.of(get, set.build());
    }

    /** outputSize() and output(into): the model's {@code output} value, or nothing. */
    List<MethodSpec> output(Var output) {
        MethodSpec.Builder size = override("outputSize").returns(TypeName.INT);
        MethodSpec.Builder copy = override("output").addParameter(double[].class, "into");
        if (output == null) {
            size.addStatement("return 0");
        } else {
            size.addStatement("return $L", output.shape().size());
            if (output.isScalar()) {
                copy.addStatement("into[0] = $N", output.name());
            } else if (output.shape().rank() == 1) {
                copy.beginControlFlow("for (int i = 0; i < $L; i++)", output.shape().dim(0))
                        .addStatement("into[i] = $N[i]", output.name()).endControlFlow();
            } else {
                int cols = output.shape().dim(1);
                copy.beginControlFlow("for (int i = 0; i < $L; i++)", output.shape().dim(0))
                        .beginControlFlow("for (int j = 0; j < $L; j++)", cols)
                        .addStatement("into[i * $L + j] = $N[i][j]", cols, output.name()).endControlFlow().endControlFlow();
            }
        }
        return List.of(size.build(), copy.build());
    }

    List<MethodSpec> simple() {
        return List.of(
                override("name").returns(String.class).addStatement("return $S", program.model()).build(),
                override("schema").returns(SCHEMA).addStatement("return layout(SCHEMA)").build(),
                override("f64").returns(TypeName.BOOLEAN).addStatement("return $L", !t.f32()).build(),
                override("setLearningRate").addParameter(TypeName.DOUBLE, "rate").addStatement("lr = $Lrate", t.f32() ? "(float) " : "").build(),
                override("learningRate").returns(TypeName.DOUBLE).addStatement("return lr").build());
    }

    /** The static ways in: {@code load}, {@code data()}; and what the runtime asks of the class, {@code newWork}, {@code blank}. */
    List<MethodSpec> factories(ClassName self, String work) {
        return List.of(
                MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addParameter(java.nio.file.Path.class, "file")
                        .addJavadoc("A model with the weights of {@code file}, the weights JSON that {@link #save} and the trainer's\n"
                                + "{@code --save} write.\n\n"
                                + "@throws IllegalArgumentException when the file is not this model's (names, shapes) or holds non-finite\n"
                                + "    values, or cannot be read\n")
                        .addStatement("$T model = new $T()", self, self).addStatement("model.loadWeights(file)")
                        .addStatement("return model").build(),
                MethodSpec.methodBuilder("data").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(Runtime.READER)
                        .addJavadoc("The data readers of the model's {@code .nn} file: {@code csv}, {@code idx}, its data block\n"
                                + "({@code inline}), and the train block's own data ({@code train}, {@code test}).\n")
                        .addStatement("return readerFor(SCHEMA, DEFAULTS)").build(),
                MethodSpec.methodBuilder("newWork").addAnnotation(Override.class).addModifiers(Modifier.PROTECTED)
                        .returns(Runtime.MODEL).addJavadoc("New buffers for one pass.\n").addStatement("return new $L()", work).build(),
                MethodSpec.methodBuilder("blank").addAnnotation(Override.class).addModifiers(Modifier.PROTECTED).returns(self)
                        .addJavadoc("A new instance, for {@link #copy()} to overwrite.\n").addStatement("return new $T(0L)", self).build());
    }

    /** {@code main} and {@code run}: the standalone trainer of cli.md. */
    List<MethodSpec> main(String className) {
        return List.of(
                MethodSpec.methodBuilder("main").addModifiers(Modifier.PUBLIC, Modifier.STATIC).addParameter(String[].class, "args")
                        .addJavadoc("Trains, evaluates, predicts or checks gradients: {@code --help} lists the flags.\n")
                        .addStatement("int code = run(args, System.out, System.err)")
                        .beginControlFlow("if (code != 0)").addStatement("System.exit(code)").endControlFlow().build(),
                MethodSpec.methodBuilder("run").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(TypeName.INT)
                        .addParameter(String[].class, "args").addParameter(java.io.PrintStream.class, "stdout")
                        .addParameter(java.io.PrintStream.class, "stderr")
                        .addJavadoc("{@link #main} without exiting: the exit code, results on {@code stdout}, messages on {@code stderr}.\n")
                        .addStatement("return $T.run(args, seed -> new $L(seed).trainer(), DEFAULTS, stdout, stderr)", DRIVER, className).build());
    }

    private static MethodSpec.Builder override(String name) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC);
    }

    private static CodeBlock join(List<CodeBlock> parts) {
        return CodeBlock.join(parts, ", ");
    }
}

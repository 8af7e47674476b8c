package dev.nnc.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.check.TrainConfig;
import dev.nnc.lower.LoopProgram;
import dev.nnc.lower.PredictorProgram;
import dev.nnc.lower.Var;
import dev.nnc.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.lang.model.element.Modifier;

/**
 * The emit stage of an inference-only class: a {@link PredictorProgram} to one Java file that needs
 * nothing but the JDK, with JavaPoet.
 *
 * <pre>
 *   PredictorProgram(xor, weights)  -&gt;  public final class XorPredictor { INPUT_SIZE = 2; OUTPUT_SIZE = 1;
 *                                          h_W = {{...}, ...}; ...; float[] predict(float[] input) ... }
 * </pre>
 *
 * The weights are {@code private static final} arrays named after the parameters; the forward pass is
 * the prediction program's loops, printed by the same {@link StepEmitter} as the full model's
 * {@code predict}, into a private {@code Scratch} class that holds one pass's buffers; the functions
 * it calls are a private copy of the runtime's ({@link MathSource}). So its results are the full
 * model's, bit for bit.
 */
public final class PredictorEmitter {

    /** Values per line of a literal array. */
    private static final int PER_LINE = 8;
    /** Characters per line of Base64 text. */
    private static final int BASE64_LINE = 100;
    /**
     * Lines of Base64 per text block: 600 lines and their breaks are 60,599 bytes, under the 65,535 a
     * class file's string constant may have.
     */
    private static final int BASE64_LINES = 600;

    private final PredictorProgram program;
    private final LoopProgram predict;
    private final Types t;
    private final String className;
    private final String packageName;
    private final String weightsName;
    private final TypeName array;

    /**
     * @param weightsName the weights file's name, for the class's Javadoc (its folder left out, so
     *                    that the text does not depend on where it was compiled)
     */
    public PredictorEmitter(PredictorProgram program, String className, String packageName, String weightsName) {
        this.program = program;
        this.predict = program.predict();
        this.t = new Types(predict.dtype());
        this.className = className;
        this.packageName = packageName == null ? "" : packageName;
        this.weightsName = weightsName;
        this.array = ArrayTypeName.of(t.scalar());
    }

    /** The name of a nested class: {@code base}, unless the class itself has that name. */
    private String nested(String base) {
        return className.equals(base) ? base + "_" : base;
    }

    public JavaFile emit() {
        ClassName math = ClassName.get(packageName, className, nested("NncMath"));
        // the full model's prediction reads its weight matrices transposed: the same sums in the same order
        TransposedWeights transposed = new TransposedWeights(predict, t, false);
        StepEmitter steps = new StepEmitter(t, math, transposed);
        TypeSpec scratch = scratch(steps);
        TypeSpec.Builder type = TypeSpec.classBuilder(className).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc(classDoc());
        type.addField(size("INPUT_SIZE", inputSize(), "Values in one input: " + inputsText() + ", flattened in that order."));
        type.addField(size("OUTPUT_SIZE", (int) outputVar().shape().size(), "Values in one output: " + outputText() + ", flattened."));
        type.addField(FieldSpec.builder(TypeName.INT, "SPARE", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer("16")
                .addJavadoc("Scratch buffers kept for predicting threads; beyond this many calls at once, a call makes its own.\n").build());
        boolean encoded = false;
        for (PredictorProgram.Weight w : program.weights()) {
            type.addField(weight(w));
            encoded |= w.form() == PredictorProgram.Form.BASE64;
        }
        type.addFields(transposed.constantFields());
        predict.constants().forEach((name, value) -> type.addField(FieldSpec.builder(t.of(value.shape()), name,
                Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(t.literal(value)).build()));
        ClassName scratchType = ClassName.get(packageName, className, scratch.name());
        type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(AtomicReferenceArray.class), scratchType), "spare",
                Modifier.PRIVATE, Modifier.FINAL).initializer("new $T<>(SPARE)", AtomicReferenceArray.class)
                .addJavadoc("Scratch buffers no call is using.\n").build());
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("A predictor. The weights belong to the class, so instances differ only in their scratch buffers.\n").build());
        type.addMethods(predictMethods(scratchType));
        type.addMethods(pool(scratchType));
        if (encoded) {
            type.addMethods(decoders());
        }
        if (transposed.any()) {
            type.addMethod(transposed.transposeFunction());
        }
        type.addType(scratch);
        if (!steps.mathCalls.isEmpty()) {
            type.addType(MathSource.functions(math.simpleName(), steps.mathCalls, t.f32(),
                    "The elementwise functions the forward pass calls, copied by nnc from its runtime library's\n"
                            + "{@code NncMath}, whose methods the full model calls: the same code gives the same values.\n"));
        }
        return JavaFile.builder(packageName, type.build()).skipJavaLangImports(true).indent("    ").build();
    }

    /** The value the model's {@code output} names, as the prediction program computes it. */
    private Var outputVar() {
        return predict.output();
    }

    private int inputSize() {
        return program.inputs().stream().mapToInt(v -> (int) v.shape().size()).sum();
    }

    /** {@code x[2], mask[2, 3]}: the inputs with their shapes, a scalar by its name alone. */
    private String inputsText() {
        return program.inputs().isEmpty() ? "no inputs"
                : String.join(", ", program.inputs().stream().map(v -> shaped(v.name(), v.shape())).toList());
    }

    /** {@code 2 (x[2])}: what an input's length should be, for messages. */
    private String expectedInput() {
        return inputSize() + " (" + inputsText() + ")";
    }

    private String outputText() {
        return shaped(program.output(), outputVar().shape());
    }

    private static String shaped(String name, Shape s) {
        return s.isScalar() ? name : name + s;
    }

    private CodeBlock classDoc() {
        boolean f32 = predict.dtype() == TrainConfig.DType.F32;
        return CodeBlock.builder()
                .add("Predictions of model {@code $L}: its forward pass alone, in $L, compiled by nnc with the\n"
                        + "trained weights$L inside. It needs nothing but the JDK.\n", program.model(), f32 ? "float32" : "float64",
                        weightsName == null ? "" : " of {@code " + weightsName + "}")
                .add("<pre>\n"
                        + "  $L predictor = new $L();\n"
                        + "  $L[] y = predictor.predict(input); // $L ($L) -&gt; $L\n"
                        + "</pre>\n", className, className, t.scalar(), inputsText(), count(inputSize()), outputText())
                .add("<p><b>Threads.</b> Any number of threads may call {@code predict} on one instance at once: each call\n"
                        + "borrows scratch buffers of its own from a small lock-free pool, and a warm\n"
                        + "{@link #predict($L[], $L[])} allocates nothing.\n", t.scalar(), t.scalar())
                .add("<p><b>Bad arguments</b> (null, or an array of the wrong length) throw {@link IllegalArgumentException}\n"
                        + "naming the argument and the sizes.\n")
                .build();
    }

    private static String count(int n) {
        return n + (n == 1 ? " value" : " values");
    }

    private static FieldSpec size(String name, int value, String doc) {
        return FieldSpec.builder(TypeName.INT, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .initializer("$L", value).addJavadoc("$L\n", doc).build();
    }

    // ------------------------------------------------------------------------------- weights

    private FieldSpec weight(PredictorProgram.Weight w) {
        Shape s = w.value().shape();
        FieldSpec.Builder f = FieldSpec.builder(t.of(s), w.param().name(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL);
        if (w.form() == PredictorProgram.Form.LITERAL) {
            return f.addJavadoc("{@code $L}$L.\n", w.name(), s.isScalar() ? "" : ", " + s).initializer(literal(w)).build();
        }
        return f.addJavadoc("{@code $L}, $L: its $L, little-endian, in Base64 (too many values for literals, which javac\n"
                        + "compiles into a class initializer of at most 64 KB).\n", w.name(), s,
                        t.f32() ? "floats' IEEE 754 bits" : "doubles' IEEE 754 bits")
                .initializer(base64(w)).build();
    }

    /** {@code 0.5f}, {@code {0.1f, 0.2f}} or a matrix, a row per line, at most {@value #PER_LINE} values a line. */
    private CodeBlock literal(PredictorProgram.Weight w) {
        Shape s = w.value().shape();
        if (s.isScalar()) {
            return CodeBlock.of("$L", t.exact(w.value().get(0)));
        }
        if (s.rank() == 1) {
            return row(w, 0, s.dim(0));
        }
        CodeBlock.Builder b = CodeBlock.builder().add("{\n$>");
        for (int r = 0; r < s.dim(0); r++) {
            b.add(row(w, r * s.dim(1), s.dim(1))).add(r + 1 < s.dim(0) ? ",\n" : "\n");
        }
        return b.add("$<}").build();
    }

    private CodeBlock row(PredictorProgram.Weight w, int from, int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i += PER_LINE) {
            List<String> values = new ArrayList<>();
            for (int j = i; j < Math.min(n, i + PER_LINE); j++) {
                values.add(t.exact(w.value().get(from + j)));
            }
            lines.add(String.join(", ", values));
        }
        if (lines.size() == 1) {
            return CodeBlock.of("{$L}", lines.get(0));
        }
        return CodeBlock.of("{\n$>$L\n$<}", String.join(",\n", lines));
    }

    /** {@code rows(8, floats("""...""", ...))}: the values' bits in text blocks of {@value #BASE64_LINES} lines. */
    private CodeBlock base64(PredictorProgram.Weight w) {
        int n = w.value().size();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(n * (t.f32() ? Float.BYTES : Double.BYTES))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            if (t.f32()) {
                bytes.putFloat((float) w.value().get(i));
            } else {
                bytes.putDouble(w.value().get(i));
            }
        }
        String text = java.util.Base64.getEncoder().encodeToString(bytes.array());
        List<String> blocks = new ArrayList<>();
        int perBlock = BASE64_LINE * BASE64_LINES;
        for (int at = 0; at < text.length(); at += perBlock) {
            String chunk = text.substring(at, Math.min(text.length(), at + perBlock));
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < chunk.length(); i += BASE64_LINE) {
                lines.add(chunk.substring(i, Math.min(chunk.length(), i + BASE64_LINE)));
            }
            blocks.add("\"\"\"\n" + String.join("\n", lines) + "\"\"\"");
        }
        CodeBlock values = CodeBlock.of("$L($>$>$L$<$<)", decoder(), String.join(", ", blocks));
        Shape s = w.value().shape();
        return s.rank() == 2 ? CodeBlock.of("rows($L, $L)", s.dim(0), values) : s.isScalar() ? CodeBlock.of("$L[0]", values) : values;
    }

    private String decoder() {
        return t.f32() ? "floats" : "doubles";
    }

    /** {@code floats(String...)} and {@code rows(int, float[])}: what the Base64 weights need as the class loads. */
    private List<MethodSpec> decoders() {
        String buffer = t.f32() ? "asFloatBuffer" : "asDoubleBuffer";
        MethodSpec values = MethodSpec.methodBuilder(decoder()).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(array).addParameter(String[].class, "base64").varargs()
                .addJavadoc("The $L whose IEEE 754 bits, little-endian, the Base64 text blocks hold (line breaks ignored).\n",
                        t.f32() ? "floats" : "doubles")
                .addStatement("$T bytes = $T.wrap($T.getMimeDecoder().decode(String.join(\"\", base64))).order($T.LITTLE_ENDIAN)",
                        java.nio.ByteBuffer.class, java.nio.ByteBuffer.class, java.util.Base64.class, java.nio.ByteOrder.class)
                .addStatement("$T values = new $T[bytes.remaining() / $L]", array, t.scalar(), t.f32() ? Float.BYTES : Double.BYTES)
                .addStatement("bytes.$L().get(values)", buffer)
                .addStatement("return values").build();
        TypeName matrix = ArrayTypeName.of(array);
        MethodSpec rows = MethodSpec.methodBuilder("rows").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(matrix).addParameter(TypeName.INT, "rows").addParameter(array, "values")
                .addJavadoc("{@code values} cut into {@code rows} rows of equal length.\n")
                .addStatement("int columns = values.length / rows")
                .addStatement("$T matrix = new $T[rows][]", matrix, t.scalar())
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("matrix[r] = $T.copyOfRange(values, r * columns, (r + 1) * columns)", java.util.Arrays.class)
                .endControlFlow()
                .addStatement("return matrix").build();
        boolean anyMatrix = program.weights().stream().anyMatch(w -> w.form() == PredictorProgram.Form.BASE64
                && w.value().shape().rank() == 2);
        return anyMatrix ? List.of(values, rows) : List.of(values);
    }

    // ------------------------------------------------------------------------- the public API

    private List<MethodSpec> predictMethods(ClassName scratchType) {
        String in = inputsText() + " flattened in that order: {@link #INPUT_SIZE} values";
        String out = outputText() + " flattened: {@link #OUTPUT_SIZE} values";
        MethodSpec one = MethodSpec.methodBuilder("predict").addModifiers(Modifier.PUBLIC).returns(array)
                .addParameter(array, "input")
                .addJavadoc("The output for one sample, in a new array.\n\n@param input $L\n@return $L\n"
                        + "@throws IllegalArgumentException if {@code input} is null or does not hold {@link #INPUT_SIZE} values\n",
                        in, out)
                .addStatement("$T output = new $T[OUTPUT_SIZE]", array, t.scalar())
                .addStatement("predict(input, output)")
                .addStatement("return output").build();
        MethodSpec into = MethodSpec.methodBuilder("predict").addModifiers(Modifier.PUBLIC)
                .addParameter(array, "input").addParameter(array, "output")
                .addJavadoc("The output for one sample, into {@code output}; allocates nothing once warm.\n\n@param input $L\n"
                        + "@param output receives $L\n@throws IllegalArgumentException if {@code input} or {@code output} is null\n"
                        + "    or does not have its size\n", in, out)
                .addStatement("checkLength(input, $S, -1, INPUT_SIZE, $S)", "input", expectedInput())
                .addStatement("checkLength(output, $S, -1, OUTPUT_SIZE, $S)", "output",
                        outputVar().shape().size() + " (" + outputText() + ")")
                .addStatement("$T scratch = take()", scratchType)
                .addStatement("scratch.predict(input, output)")
                .addStatement("give(scratch)").build();
        TypeName rows = ArrayTypeName.of(array);
        MethodSpec many = MethodSpec.methodBuilder("predict").addModifiers(Modifier.PUBLIC).returns(rows)
                .addParameter(rows, "inputs")
                .addJavadoc("The outputs of many samples, one row each, computed one after another on the calling thread\n"
                        + "(call it from several threads to use several cores).\n\n@param inputs one sample a row, each $L\n"
                        + "@return one output a row, each $L\n@throws IllegalArgumentException if {@code inputs} or one of its\n"
                        + "    rows is null, or a row does not hold {@link #INPUT_SIZE} values\n", in, out)
                .beginControlFlow("if (inputs == null)")
                .addStatement("throw new $T($S)", IllegalArgumentException.class, "inputs must not be null")
                .endControlFlow()
                .beginControlFlow("for (int s = 0; s < inputs.length; s++)")
                .addStatement("checkLength(inputs[s], $S, s, INPUT_SIZE, $S)", "inputs", expectedInput())
                .endControlFlow()
                .addStatement("$T outputs = new $T[inputs.length][OUTPUT_SIZE]", rows, t.scalar())
                .addStatement("$T scratch = take()", scratchType)
                .beginControlFlow("for (int s = 0; s < inputs.length; s++)")
                .addStatement("scratch.predict(inputs[s], outputs[s])")
                .endControlFlow()
                .addStatement("give(scratch)")
                .addStatement("return outputs").build();
        MethodSpec check = MethodSpec.methodBuilder("checkLength").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(array, "values").addParameter(String.class, "name").addParameter(TypeName.INT, "index")
                .addParameter(TypeName.INT, "size").addParameter(String.class, "expected")
                .addJavadoc("Refuses a null array or one whose length is not {@code size}, naming it ({@code name[index]} when\n"
                        + "{@code index >= 0}) and saying what it should hold ({@code expected}).\n")
                .beginControlFlow("if (values == null || values.length != size)")
                .addStatement("String which = index < 0 ? name : name + \"[\" + index + \"]\"")
                .addStatement("throw new $T(values == null ? which + \" must not be null\"\n"
                        + ": which + \" has length \" + values.length + \"; expected \" + expected)", IllegalArgumentException.class)
                .endControlFlow().build();
        return List.of(one, into, many, check);
    }

    /** take() and give(): a scratch per call from the pool, as the runtime's {@code GeneratedModel} keeps its Work. */
    private List<MethodSpec> pool(ClassName scratchType) {
        MethodSpec take = MethodSpec.methodBuilder("take").addModifiers(Modifier.PRIVATE).returns(scratchType)
                .addJavadoc("A spare scratch, or a new one when every spare is in use; the slot to try first depends on the thread.\n")
                .addStatement("int start = System.identityHashCode(Thread.currentThread())")
                .beginControlFlow("for (int k = 0; k < SPARE; k++)")
                .addStatement("$T scratch = spare.getAndSet((start + k) & (SPARE - 1), null)", scratchType)
                .beginControlFlow("if (scratch != null)").addStatement("return scratch").endControlFlow()
                .endControlFlow()
                .addStatement("return new $T()", scratchType).build();
        MethodSpec give = MethodSpec.methodBuilder("give").addModifiers(Modifier.PRIVATE).addParameter(scratchType, "scratch")
                .addJavadoc("Keeps {@code scratch} for the next call, unless every slot is full.\n")
                .addStatement("int start = System.identityHashCode(Thread.currentThread())")
                .beginControlFlow("for (int k = 0; k < SPARE; k++)")
                .beginControlFlow("if (spare.compareAndSet((start + k) & (SPARE - 1), null, scratch))").addStatement("return")
                .endControlFlow()
                .endControlFlow().build();
        return List.of(take, give);
    }

    // ------------------------------------------------------------------------ the forward pass

    /** The buffers of one forward pass and the loops that run it. */
    private TypeSpec scratch(StepEmitter steps) {
        MethodSpec pass = MethodSpec.methodBuilder("predict").addParameter(array, "input").addParameter(array, "output")
                .addJavadoc("The forward pass of the sample in {@code input}: its output into {@code output}.\n")
                .addCode(steps.forward(predict, outputVar())).build();
        TypeSpec.Builder type = TypeSpec.classBuilder(nested("Scratch")).addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The buffers of one forward pass, and its loops: one per calling thread at a time.\n");
        Map<String, Var> fields = new LinkedHashMap<>();
        predict.inputs().forEach(v -> fields.put(v.name(), v));
        predict.temps().forEach(v -> fields.putIfAbsent(v.name(), v));
        for (Var v : fields.values()) {
            type.addField(t.buffer(v, v.role() == Var.Role.SAMPLE ? "the sample's " + v.name() : null));
        }
        steps.scratchRows.forEach((name, n) -> type.addField(FieldSpec.builder(array, name, Modifier.PRIVATE, Modifier.FINAL)
                .initializer("new $T[$L]", t.scalar(), n).build()));
        return type.addMethod(pass).build();
    }
}

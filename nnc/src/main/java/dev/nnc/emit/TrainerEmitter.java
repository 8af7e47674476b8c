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
import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.lower.LoopProgram;
import dev.nnc.lower.Names;
import dev.nnc.lower.ParamInit;
import dev.nnc.lower.TrainerProgram;
import dev.nnc.lower.Step;
import dev.nnc.lower.Var;
import dev.nnc.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The emit stage: two loop programs (training, inference) to one Java class, with JavaPoet.
 *
 * <pre>
 *   LoopProgram(tiny_relu)  -&gt;  public final class TinyRelu { float[][] W1; ... double trainSample(int s) ... }
 * </pre>
 *
 * The class holds the parameters, their gradients and optimizer state, and every per-sample buffer,
 * all allocated once in the constructor; nothing is allocated per step. Parameters start from the
 * seeded initializers exactly as {@link dev.nnc.eval.ParamInit} draws them.
 */
public final class TrainerEmitter {

    private final TrainerProgram program;
    private final LoopProgram train;
    private final LoopProgram infer;
    private final LoopProgram predict;
    private final Types t;
    private final String className;
    private final String packageName;
    private final String baseDir;
    private final Codegen codegen;
    /** The weight matrices the prediction reads transposed. */
    private final TransposedWeights transposed;
    /** The methods of {@code trainSample}'s loop nests, as {@link #sampleMethod} makes them. */
    private final List<MethodSpec> sampleSteps = new java.util.ArrayList<>();

    /**
     * @param baseDir the directory relative data paths of the train block resolve against, as the
     *                trainer will see it (the {@code .nn} file's absolute directory, so that the
     *                trainer runs in any folder), or null for the working directory
     */
    public TrainerEmitter(TrainerProgram program, String className, String packageName, String baseDir) {
        this(program, className, packageName, baseDir, Codegen.DEFAULT);
    }

    public TrainerEmitter(TrainerProgram program, String className, String packageName, String baseDir,
            Codegen codegen) {
        this.codegen = codegen;
        this.program = program;
        this.train = program.train();
        this.infer = program.infer();
        this.predict = program.predict();
        this.t = new Types(train.dtype());
        this.transposed = new TransposedWeights(predict, t, codegen.vector());
        this.className = className;
        this.packageName = packageName == null ? "" : packageName;
        this.baseDir = baseDir;
    }

    /** {@code tiny_relu} to {@code TinyRelu}. */
    public static String className(String modelName) {
        StringBuilder b = new StringBuilder();
        boolean upper = true;
        for (char c : modelName.toCharArray()) {
            if (c == '_' || !Character.isJavaIdentifierPart(c)) {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        String name = b.length() == 0 || !Character.isJavaIdentifierStart(b.charAt(0)) ? "Model" + b : b.toString();
        return javax.lang.model.SourceVersion.isKeyword(name) ? name + "Model" : name;
    }

    public JavaFile emit() {
        sampleSteps.clear();
        boolean batched = program.batched();
        StepEmitter trainSteps = new StepEmitter(t, codegen.vector());
        StepEmitter inferSteps = new StepEmitter(t, codegen.vector());
        StepEmitter predictSteps = new StepEmitter(t, codegen.vector(), transposed);
        ModelMethodsEmitter plumbing = new ModelMethodsEmitter(program, t);
        BatchEmitter batch = batched ? new BatchEmitter(program, program.trainRows(), t, codegen.vector()) : null;
        BatchEmitter evaluation = program.evalRows() != null ? new BatchEmitter(program, program.evalRows(), t, codegen.vector()) : null;
        MethodSpec evaluateRows = evaluation != null ? evaluation.rowsMethod() : null;
        MethodSpec trainStep = batched ? batch.rowsMethod() : sampleMethod("trainSample", train, trainSteps, false,
                "Forward and backward pass of sample {@code s}: adds its gradients into the d* buffers, returns its loss.");
        MethodSpec evaluate = evaluation != null ? evaluation.evaluateOneMethod(infer.output()) : sampleMethod("evaluate", infer, inferSteps, true,
                "Forward pass of sample {@code s}: its loss" + (infer.output() != null ? ", and its output in {@code "
                        + infer.output().name() + "}" : "") + ".");
        MethodSpec predictSample = sampleMethod("predict", predict, predictSteps, true,
                "Forward pass of sample {@code s} without its targets: only the output.");
        MethodSpec predictArrays = predictArrays(predictSteps);
        ClassName self = ClassName.get(packageName, className);
        TypeSpec.Builder type = TypeSpec.classBuilder(className)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .superclass(ParameterizedTypeName.get(Runtime.GENERATED_MODEL, self))
                .addJavadoc("Model {@code $L}, compiled by nnc: fused loops specialized to the model's sizes,\n"
                        + "$L;\nmini-batch gradient descent with {@code $L}$L, $L.\n"
                        + "<pre>\n"
                        + "  $L m = new $L(); // parameters as the .nn initializes them\n"
                        + "  m.fit($L.data().train()); // the train block's data, epochs, batch and optimizer\n"
                        + "  $L[] y = m.predict(input); // $L\n"
                        + "</pre>\n"
                        + "{@link $T} has the whole API and the threading rules: {@code predict} and {@code evaluate} may\n"
                        + "run on many threads at once while nothing trains. {@link #main} is the standalone trainer\n"
                        + "({@code --help} lists its flags).\n",
                        program.model(), batched ? "the forward and backward pass of a whole mini-batch at once, its matrix products on\n"
                                + (codegen.vector() ? "the Vector API kernels of NncGemmVector (those of NncGemm in a run too short to pay\n"
                                        + "for their compile: {@code useVectorApi})" : "the kernels of NncGemm")
                                : "the forward and backward pass sample by sample",
                        program.config().optimizer().text(), trainingExtras(), train.dtype() == TrainConfig.DType.F32 ? "float32" : "float64",
                        className, className, className, t.scalar(),
                        program.output() == null ? "(the model declares no output to predict)"
                                : String.join(", ", program.inputs().stream().map(v -> v.name()).toList()) + " flattened, "
                                        + inputSize() + (inputSize() == 1 ? " value" : " values") + " -> " + program.output(),
                        Runtime.PUBLIC_MODEL);
        TypeSpec.Builder work = TypeSpec.classBuilder(Names.workClass(className)).addModifiers(Modifier.PRIVATE, Modifier.FINAL)
                .addSuperinterface(Runtime.MODEL)
                .addJavadoc("The buffers of one pass over the parameters of {@link $L}, and the loops that run it. Training\n"
                        + "uses one; each thread that predicts or evaluates borrows one of its own.\n", className);
        type.addField(plumbing.schemaField());
        type.addField(plumbing.defaultsField(baseDir));
        List<StepEmitter> emitters = new java.util.ArrayList<>(List.of(trainSteps, inferSteps, predictSteps));
        if (batched) {
            emitters.addAll(batch.stepEmitters());
            batch.fields(work);
        }
        if (evaluation != null) {
            emitters.addAll(evaluation.stepEmitters());
            evaluation.fields(work);
        }
        List<Var> trainFields = new java.util.ArrayList<>();
        if (batched) {
            trainFields.addAll(batch.sharedTemps());
        } else {
            trainFields.addAll(train.inputs());
            trainFields.addAll(train.targets());
            trainFields.addAll(train.temps());
        }
        modelFields(type);
        workFields(work, emitters, trainFields);
        if (transposed.any()) {
            type.addField(transposed.versionField());
            transposed.workFields().forEach(work::addField);
        }
        if (codegen.vector()) {
            vectorSwitch(type, work);
        }
        type.addMethods(constructors());
        type.addMethods(plumbing.factories(self, Names.workClass(className)));
        work.addMethod(trainStep);
        (batched ? batch.stepMethods() : sampleSteps).forEach(work::addMethod);
        work.addMethod(evaluate);
        work.addMethod(predictSample);
        if (predictArrays != null) {
            work.addMethod(predictArrays);
        }
        if (transposed.any()) {
            work.addMethod(transposed.transposeMethod());
        }
        if (evaluation != null) {
            work.addMethod(MethodSpec.methodBuilder("evaluationRows").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                    .returns(TypeName.INT).addStatement("return $L", evaluation.capacity()).build());
            work.addMethod(evaluateRows);
            work.addMethod(evaluation.allRowsMethod());
            work.addMethod(evaluation.evaluationStepMethod(train.params()));
            work.addMethod(evaluation.evaluationColumnsMethod(train.params()));
            work.addMethod(evaluation.columnsMethod(train.params()));
            work.addMethod(evaluation.outputRowMethod());
        }
        work.addMethod(batchGradients(batch));
        work.addMethod(transposed.counting(optimizer().update()));
        work.addMethod(optimizer().nonFiniteStep());
        plumbing.simple().forEach(work::addMethod);
        work.addMethod(plumbing.useData());
        work.addMethod(plumbing.paramNames());
        work.addMethod(plumbing.paramShapes());
        work.addMethod(plumbing.copyOut("weights", train.params()));
        work.addMethod(transposed.counting(plumbing.copyIn("setWeights", train.params(), false)));
        work.addMethod(transposed.counting(plumbing.setWeight()));
        work.addMethod(plumbing.copyOut("gradients", train.grads()));
        work.addMethod(plumbing.copyIn("setGradients", train.grads(), true));
        work.addMethod(plumbing.nonFiniteGradient());
        work.addMethod(plumbing.gradientNorms());
        work.addMethod(plumbing.scaleGradients());
        plumbing.output(infer.output()).forEach(work::addMethod);
        OptimizerEmitter optimizer = optimizer();
        List<Var> state = new java.util.ArrayList<>(train.params());
        optimizer.stateFields().forEach(f -> state.add(f.var()));
        boolean dropout = train.steps().stream().anyMatch(s -> s instanceof Step.Mask);
        if (dropout) {
            work.addField(FieldSpec.builder(Runtime.DROPOUT, StepEmitter.DROPOUT, Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("The training step's dropout masks: from the train block's seed + 2 until a run seeds it.\n")
                    .initializer("new $T($LL)", Runtime.DROPOUT, program.config().seed() + 2).build());
            work.addMethod(MethodSpec.methodBuilder("dropout").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                    .returns(Runtime.DROPOUT).addStatement("return $N", StepEmitter.DROPOUT).build());
        }
        List<MethodSpec> stateMethods = plumbing.state(state, optimizer.countsSteps(), dropout);
        work.addMethod(stateMethods.get(0));
        work.addMethod(transposed.counting(stateMethods.get(1)));
        type.addMethods(plumbing.main(className));
        if (program.data() != null) {
            type.addMethod(plumbing.inlineData());
        }
        type.addType(work.build());
        return JavaFile.builder(packageName, type.build())
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    /**
     * The field that says whether the products and the optimizer's dry run take the Vector API's
     * kernels or the plain ones, and the method a training run sets it with ({@code NncTraining}
     * decides from the run's work).
     */
    private static void vectorSwitch(TypeSpec.Builder type, TypeSpec.Builder work) {
        type.addField(FieldSpec.builder(TypeName.BOOLEAN, Names.VECTOR_KERNELS, Modifier.PRIVATE)
                .addJavadoc("Whether the products run on the Vector API's kernels (NncGemmVector) or on NncGemm's, which give the\n"
                        + "plain trainer's results: each training run sets it from its work ({@code useVectorApi}).\n")
                .initializer("true").build());
        work.addMethod(MethodSpec.methodBuilder("useVectorApi").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .returns(TypeName.BOOLEAN).addParameter(TypeName.BOOLEAN, "use")
                .addStatement("$N = use", Names.VECTOR_KERNELS).addStatement("return use").build());
    }

    /** {@code , schedule {@code cosine(epochs = 10, min_lr = 0)}, gradient norm clipped at 1} as the train block has them, or "". */
    private String trainingExtras() {
        TrainConfig c = program.config();
        String schedule = c.schedule() instanceof dev.nnc.runtime.LearningRateSchedule.Constant ? ""
                : ", schedule {@code " + c.schedule() + "}";
        return schedule + (c.clipNorm() > 0 ? ", gradient norm clipped at " + dev.nnc.tensor.Values.format(c.clipNorm()) : "");
    }

    /** The model's output, as the prediction computes it, or null when it declares none. */
    private Var outputVar() {
        return predict.output() != null ? predict.output() : infer.output();
    }

    private int inputSize() {
        return program.inputs().stream().mapToInt(v -> (int) v.shape().size()).sum();
    }

    /**
     * {@code predict(input, output)}: one sample's inputs from a flat array, the output into one; null
     * when the model declares no output (the runtime then refuses to predict). The parameters are named
     * after two keywords of the language, so no value of the model (a field of the class) is hidden by
     * them: a value named {@code out} stays the field.
     */
    private MethodSpec predictArrays(StepEmitter steps) {
        Var output = outputVar();
        if (output == null) {
            return null;
        }
        TypeName array = ArrayTypeName.of(t.scalar());
        MethodSpec.Builder m = MethodSpec.methodBuilder("predict").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .addParameter(array, "input").addParameter(array, "output")
                .addJavadoc("Forward pass of the sample in {@code input} (the inputs flattened in declaration order): its output into\n"
                        + "{@code output}.\n");
        if (transposed.any()) {
            m.addCode(transposed.refresh());
        }
        return m.addCode(steps.forward(predict, output)).build();
    }

    /** The optimizer's step, printed from its update: fields, {@code update} and {@code nonFiniteStep}. */
    private OptimizerEmitter optimizer() {
        return new OptimizerEmitter(t, program.config().optimizer(), codegen.vector(), train.params(), train.grads());
    }

    /** The model's own state: parameters, gradients, optimizer state, step count and learning rate. */
    private void modelFields(TypeSpec.Builder type) {
        List<String> named = train.params().stream().map(p -> p.name()).toList();
        for (int k = 0; k < train.params().size(); k++) {
            type.addField(t.buffer(train.params().get(k), k > 0 ? null
                    : "the parameters, in the model's order: " + String.join(", ", named)));
        }
        // one comment for a group of buffers of the same kind: on its first
        for (int k = 0; k < train.grads().size(); k++) {
            type.addField(t.buffer(train.grads().get(k), k > 0 ? null
                    : "the gradients, d + the parameter's name: summed over the mini-batch, then averaged"));
        }
        OptimizerEmitter optimizer = optimizer();
        java.util.Set<String> documented = new java.util.HashSet<>();
        for (OptimizerEmitter.StateField f : optimizer.stateFields()) {
            type.addField(t.buffer(f.var(), documented.add(f.doc()) ? f.doc() : null));
        }
        if (optimizer.countsSteps()) {
            type.addField(FieldSpec.builder(TypeName.INT, "step", Modifier.PRIVATE).addJavadoc("Optimizer steps taken so far.\n").build());
        }
        type.addField(FieldSpec.builder(TypeName.BOOLEAN, "gradientsStale").addModifiers(Modifier.PRIVATE)
                .addJavadoc("Whether the d* buffers hold gradients no update has used (and cleared) yet.\n").build());
        type.addField(FieldSpec.builder(t.scalar(), "lr", Modifier.PRIVATE).addJavadoc("The learning rate.\n")
                .initializer(t.literal(program.config().optimizer().lr())).build());
        Map<String, dev.nnc.tensor.Tensor> consts = new LinkedHashMap<>(train.constants());
        infer.constants().forEach(consts::putIfAbsent);
        predict.constants().forEach(consts::putIfAbsent);
        consts.forEach((name, value) -> type.addField(FieldSpec.builder(t.of(value.shape()), name,
                Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(t.literal(value)).build()));
    }

    /** @param trainFields the training step's own per-sample or temporary fields (the other programs' are added) */
    private void workFields(TypeSpec.Builder type, List<StepEmitter> stepEmitters, List<Var> trainFields) {
        Map<String, Var> seen = new LinkedHashMap<>();
        trainFields.forEach(v -> seen.putIfAbsent(v.name(), v));
        for (LoopProgram p : List.of(infer, predict)) {
            for (Var v : p.inputs()) {
                seen.putIfAbsent(v.name(), v);
            }
            for (Var v : p.targets()) {
                seen.putIfAbsent(v.name(), v);
            }
            for (Var v : p.temps()) {
                seen.putIfAbsent(v.name(), v);
            }
        }
        for (Var v : seen.values()) {
            if (v.role() == Var.Role.LABEL) {
                type.addField(FieldSpec.builder(TypeName.INT, v.name(), Modifier.PRIVATE).addJavadoc("The sample's class label.\n").build());
            } else {
                type.addField(t.buffer(v, v.role() == Var.Role.SAMPLE ? "the sample's " + v.name() : null));
            }
        }
        Map<String, Integer> scratch = new LinkedHashMap<>();
        for (StepEmitter e : stepEmitters) {
            e.scratchRows.forEach(scratch::putIfAbsent);
        }
        scratch.forEach((name, n) -> type.addField(FieldSpec.builder(ArrayTypeName.of(t.scalar()), name, Modifier.PRIVATE, Modifier.FINAL)
                .initializer("new $T[$L]", t.scalar(), n).build()));
        boolean first = true;
        for (CheckedModel.Variable v : allVariables()) {
            FieldSpec.Builder f = FieldSpec.builder(v.onehot() ? ArrayTypeName.of(TypeName.INT) : ArrayTypeName.of(t.scalar()),
                    Names.data(v.name())).addModifiers(Modifier.PRIVATE);
            if (first) {
                f.addJavadoc("The data set: every sample's values of each variable (labels of a onehot target), row-major, one\n"
                        + "sample after another.\n");
            }
            type.addField(f.build());
            if (!v.onehot() && program.inputs().contains(v)) {
                type.addField(FieldSpec.builder(ArrayTypeName.of(TypeName.BYTE), Names.dataBytes(v.name()), Modifier.PRIVATE)
                        .addJavadoc("Or, when the data set holds input $L as unsigned bytes (IDX pixels), those.\n", v.name()).build());
            }
            first = false;
        }
    }

    private List<CheckedModel.Variable> allVariables() {
        List<CheckedModel.Variable> vars = new java.util.ArrayList<>(program.inputs());
        vars.addAll(program.targets());
        return vars;
    }

    /** Parameters from the seed, in declaration order from one stream, as ParamInit draws them; and from the train block's seed. */
    private List<MethodSpec> constructors() {
        MethodSpec.Builder m = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("A model with its parameters drawn from {@code seed}, as the {@code .nn}'s initializers say\n"
                        + "(language.md section 4).\n")
                .addParameter(TypeName.LONG, "seed")
                .addStatement("super(SCHEMA, DEFAULTS)")
                .addStatement("$T random = new $T(seed)", Runtime.SPLIT_MIX, Runtime.SPLIT_MIX);
        for (ParamInit p : program.init()) {
            m.addCode(new InitEmitter(t).init(p));
        }
        MethodSpec byDefault = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("A model with its parameters drawn from the train block's seed, $L.\n", program.config().seed())
                .addStatement("this($LL)", program.config().seed()).build();
        return List.of(byDefault, m.build());
    }

    private MethodSpec sampleMethod(String name, LoopProgram p, StepEmitter steps, boolean override, String doc) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC)
                .returns(name.equals("predict") ? TypeName.VOID : TypeName.DOUBLE)
                .addJavadoc("$L\n", doc).addParameter(TypeName.INT, "s");
        if (override) {
            m.addAnnotation(Override.class);
        }
        if (p == predict && transposed.any()) {
            m.addCode(transposed.refresh());
        }
        for (int i = 0; i < p.inputs().size(); i++) {
            m.addCode(load(program.inputs().get(i), p.inputs().get(i)));
        }
        for (int i = 0; i < p.targets().size(); i++) {
            m.addCode(load(program.targets().get(i), p.targets().get(i)));
        }
        for (Step s : p.steps()) {
            CodeBlock code = steps.step(s);
            if (name.equals("trainSample") && code.toString().contains("for (")) {
                // each loop nest a method of its own, for the JIT (see BatchEmitter#stepMethod)
                MethodSpec step = BatchEmitter.stepMethod(s.out().name(), sampleSteps, name, s.term()).addCode(code).build();
                sampleSteps.add(step);
                m.addStatement("$N()", step);
            } else {
                m.addCode(code);
            }
        }
        if (!name.equals("predict")) {
            m.addStatement("return $N", p.loss().name());
        }
        return m.build();
    }

    /** Copies sample {@code s} of a data array into the variable's buffer (zero-based, for the JIT). */
    private CodeBlock load(CheckedModel.Variable v, Var into) {
        String data = Names.data(v.name());
        Shape s = v.shape();
        if (v.onehot()) {
            return CodeBlock.of("$N = $N[s];\n", into.name(), data);
        }
        boolean input = program.inputs().contains(v);
        if (s.isScalar()) {
            return input ? CodeBlock.of("$N = $T.at($N, $N, s);\n", into.name(), Runtime.ARRAYS, data, Names.dataBytes(v.name()))
                    : CodeBlock.of("$N = $N[s];\n", into.name(), data);
        }
        if (s.rank() == 1) {
            return copy(v, input, "s * " + s.dim(0), into.name(), s.dim(0));
        }
        return CodeBlock.builder().beginControlFlow("for (int r = 0; r < $L; r++)", s.dim(0))
                .add(copy(v, input, "(s * " + s.dim(0) + " + r) * " + s.dim(1), into.name() + "[r]", s.dim(1)))
                .endControlFlow().build();
    }

    /**
     * {@code length} values of variable {@code v} from {@code from} into {@code into}: an input through
     * {@code NncArrays.row}, which also takes a data set's bytes; a target by {@code System.arraycopy}.
     */
    static CodeBlock copy(CheckedModel.Variable v, boolean input, String from, String into, int length) {
        return !input ? CodeBlock.of("$T.arraycopy($N, $L, $L, 0, $L);\n", System.class, Names.data(v.name()), from, into, length)
                : CodeBlock.of("$T.row($N, $N, $L, $L, $L);\n", Runtime.ARRAYS, Names.data(v.name()), Names.dataBytes(v.name()), from,
                        into, length);
    }

    /** Mean loss and mean gradients of the samples {@code order[from..to)}. */
    private MethodSpec batchGradients(BatchEmitter batch) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("gradients").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .returns(TypeName.DOUBLE).addParameter(ArrayTypeName.of(TypeName.INT), "order")
                .addParameter(TypeName.INT, "from").addParameter(TypeName.INT, "to")
                .addJavadoc("Mean loss of samples {@code order[from..to)}; leaves their mean gradients in the d* buffers.\n");
        // update() leaves the buffers zero as it reads them; only gradients not followed by an update need clearing
        m.beginControlFlow("if (gradientsStale)");
        for (Var g : train.grads()) {
            m.addCode(fill(g, t.literal(0)));
        }
        m.endControlFlow();
        m.addStatement("gradientsStale = true");
        m.addStatement("double sum = 0");
        if (batch != null) {
            m.beginControlFlow("for (int k = from; k < to; k += $L)", batch.capacity())
                    .addStatement("sum += trainRows(order, k, Math.min($L, to - k))", batch.capacity()).endControlFlow();
        } else {
            m.beginControlFlow("for (int k = from; k < to; k++)").addStatement("sum += trainSample(order[k])").endControlFlow();
        }
        // the mean: a sum of one sample is its own mean, so a batch of one skips the pass
        m.beginControlFlow("if (to - from > 1)");
        m.addStatement("$T scale = $L / (to - from)", t.scalar(), t.literal(1));
        for (Var g : train.grads()) {
            m.addCode(scale(g));
        }
        m.endControlFlow();
        return m.addStatement("return sum / (to - from)").build();
    }

    private CodeBlock fill(Var v, CodeBlock value) {
        if (v.isScalar()) {
            return CodeBlock.of("$N = $L;\n", v.name(), value);
        }
        if (v.shape().rank() == 1) {
            return CodeBlock.of("$T.fill($N, $L);\n", java.util.Arrays.class, v.name(), value);
        }
        return CodeBlock.builder().beginControlFlow("for ($T[] row : $N)", t.scalar(), v.name())
                .addStatement("$T.fill(row, $L)", java.util.Arrays.class, value).endControlFlow().build();
    }

    private CodeBlock scale(Var v) {
        if (v.isScalar()) {
            return CodeBlock.of("$N *= scale;\n", v.name());
        }
        CodeBlock.Builder b = CodeBlock.builder();
        if (v.shape().rank() == 1) {
            return b.beginControlFlow("for (int i = 0; i < $L; i++)", v.shape().dim(0)).addStatement("$N[i] *= scale", v.name())
                    .endControlFlow().build();
        }
        return b.beginControlFlow("for ($T[] row : $N)", t.scalar(), v.name())
                .beginControlFlow("for (int j = 0; j < row.length; j++)").addStatement("row[j] *= scale").endControlFlow()
                .endControlFlow().build();
    }
}

package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.emit.Codegen;
import dev.nnc.emit.PredictorSource;
import dev.nnc.emit.TrainerSource;
import dev.nnc.lower.TrainerProgram;
import dev.nnc.runtime.Support;
import dev.nnc.syntax.SourceReader;
import dev.nnc.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nnc compile FILE -o DIR}: writes the model's class under {@code DIR/<package as folders>/}
 * and the runtime library's sources under {@code DIR/dev/nnc/runtime/}, so that a plain
 * {@code javac} builds them with no class path; {@code --no-runtime} writes the class alone (for
 * builds that depend on {@code nnc-runtime}); {@code --single-file} writes one self-contained file.
 * {@code --predictor --weights W.json} writes the inference-only class instead, always one file
 * that needs only the JDK (so {@code --no-runtime}, {@code --single-file} and {@code --vector} are
 * refused with it, exit 2).
 * Each file is written to a temporary file and renamed, so one already there is never left
 * half-written; a runtime file whose text is already there is not touched (it keeps its time).
 */
@Command(name = "compile", description = "Write the Java class of a model: its standalone trainer, with the runtime's sources;"
        + " or, with --predictor, its inference-only class with trained weights inside.")
final class CompileCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Source folder to write into"
            + " (the class goes to DIR/<package as folders>/).")
    Path dir;

    @Option(names = "--class", paramLabel = "NAME", description = "Class name (default: the model's name in CamelCase).")
    String className;

    @Option(names = "--package", paramLabel = "P", description = "Java package of the class (default: none).")
    String packageName;

    @Mixin
    VectorOption kernels;

    @Option(names = "--no-runtime", description = "Write the model's class alone, for a build that depends on dev.nnc:nnc-runtime.")
    boolean noRuntime;

    @Option(names = "--single-file", description = "One self-contained file, the runtime inside it, that runs as java Name.java.")
    boolean singleFile;

    @Option(names = "--predictor", description = "Write the inference-only class instead: predict alone, with the weights of"
            + " --weights inside, one file that needs nothing but the JDK (default class name: the model's + Predictor).")
    boolean predictor;

    @Option(names = "--weights", paramLabel = "W.json", description = "The trained weights (what train --save writes) that"
            + " --predictor puts into the class.")
    Path weights;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (className != null && !javax.lang.model.SourceVersion.isName(className)) {
            throw usage("--class: '" + className + "' is not a Java class name");
        }
        if (packageName != null && !javax.lang.model.SourceVersion.isName(packageName)) {
            throw usage("--package: '" + packageName + "' is not a Java package name");
        }
        if (predictor || weights != null) {
            return writePredictor();
        }
        if (noRuntime && singleFile) {
            throw usage("--no-runtime and --single-file exclude each other");
        }
        TrainerSource source = Compiler.compile(SourceReader.read(options.file), Trainers.baseDir(options), options.model,
                className, packageName, kernels.codegen(false));
        Path root = sourceRoot(dir, source.packageName());
        Map<String, String> files = singleFile ? Map.of(source.folder() + source.fileName(), source.text()) : source.files(noRuntime);
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path target = root.resolve(f.getKey());
            Compiler.write(target, f.getValue());
            written.add(target.toString());
        }
        Path classFile = root.resolve(source.folder() + source.fileName());
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("files", written);
            out.println(Json.write(doc));
        } else {
            String mainClass = (source.packageName().isEmpty() ? "" : source.packageName() + ".") + source.className();
            String flag = source.vector() ? " --add-modules jdk.incubator.vector" : "";
            if (singleFile) {
                out.println("wrote " + classFile);
                out.println("  java" + flag + " " + classFile + " --help");
            } else if (noRuntime) {
                out.println("wrote " + classFile + " (it needs dev.nnc:nnc-runtime on the class path)");
            } else {
                out.println("wrote " + classFile + " and the runtime's " + (files.size() - 1) + " sources under "
                        + root.resolve(RUNTIME_FOLDER));
                out.println("  javac" + flag + " -d classes $(find " + root + " -name '*.java') && java" + flag + " -cp classes "
                        + mainClass + " --help");
            }
        }
        out.flush();
        return 0;
    }

    private static final String RUNTIME_FOLDER = "dev/nnc/runtime";

    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * {@code --predictor --weights W.json}: the one self-contained file of {@link PredictorSource}. The
     * weights are read and checked (names, shapes, finite in the model's precision) before anything
     * is written; a wrong file is exit 1 with the file and the reason.
     */
    private int writePredictor() throws IOException {
        if (!predictor) {
            throw usage("--weights goes with --predictor (the trainer class reads weights when it runs: its own --weights)");
        }
        if (weights == null) {
            throw usage("--predictor needs --weights W.json: the trained weights to put into the class");
        }
        for (Map.Entry<String, Boolean> f : List.of(Map.entry("--no-runtime", noRuntime), Map.entry("--single-file", singleFile),
                Map.entry("--vector", kernels.vector))) {
            if (f.getValue()) {
                throw usage(f.getKey() + " does not apply to --predictor: a predictor is always one file that needs nothing but"
                        + " the JDK, its loops plain Java");
            }
        }
        CheckedModel model = Pipeline.check(options.file, options.model);
        PrintWriter err = spec.commandLine().getErr();
        if (model.output() == null) {
            err.println("nnc: " + options.file + ": model " + model.name() + " declares no output, so there is nothing to predict");
            return Main.INPUT_ERROR;
        }
        Map<String, Tensor> values;
        try {
            values = trainedWeights(model, weights);
        } catch (Support.DataError e) {
            err.println("nnc: " + e.getMessage());
            return Main.INPUT_ERROR;
        }
        PredictorSource source = Pipeline.predictor(model, values, weights.getFileName().toString(), className, packageName);
        Path target = sourceRoot(dir, source.packageName()).resolve(source.path());
        Compiler.write(target, source.text());
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("files", List.of(target.toString()));
            out.println(Json.write(doc));
        } else {
            out.println("wrote " + target + " (predict only, the weights of " + weights + " inside; it needs nothing but the JDK)");
            out.println("  javac -d classes " + target);
        }
        out.flush();
        return Main.OK;
    }

    /** The values of {@code file} by parameter name, checked against the model by the runtime's reader. */
    static Map<String, Tensor> trainedWeights(CheckedModel model, Path file) {
        List<CheckedModel.Param> params = model.params();
        String[] names = params.stream().map(CheckedModel.Param::name).toArray(String[]::new);
        int[][] shapes = params.stream().map(p -> p.shape().dims().stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        double[][] values = Support.loadWeights(file, names, shapes, model.train().dtype() == TrainConfig.DType.F64);
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (int p = 0; p < names.length; p++) {
            byName.put(names[p], new Tensor(params.get(p).shape(), values[p]));
        }
        return byName;
    }

    /**
     * The source root under which the package's folders go: {@code dir} itself, or, when {@code dir}
     * already ends with those folders ({@code -o src/com/acme --package com.acme}), the folder above
     * them, so that the package's folders never appear twice.
     */
    static Path sourceRoot(Path dir, String packageName) {
        if (packageName == null || packageName.isEmpty()) {
            return dir;
        }
        Path folders = Path.of("", packageName.split("\\."));
        Path normal = dir.normalize();
        if (normal.getNameCount() > folders.getNameCount() && normal.endsWith(folders)) {
            Path root = normal;
            for (int i = 0; i < folders.getNameCount(); i++) {
                root = root.getParent();
            }
            return root;
        }
        return dir;
    }
}

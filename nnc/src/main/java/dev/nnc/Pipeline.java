package dev.nnc;

import com.palantir.javapoet.JavaFile;
import dev.nnc.autodiff.Derivation;
import dev.nnc.check.CheckedModel;
import dev.nnc.check.Checker;
import dev.nnc.diag.CompileError;
import dev.nnc.diag.DeepStack;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.SourceFile;
import dev.nnc.diag.UsageError;
import dev.nnc.emit.Codegen;
import dev.nnc.emit.PredictorEmitter;
import dev.nnc.emit.PredictorSource;
import dev.nnc.emit.TrainerEmitter;
import dev.nnc.emit.TrainerSource;
import dev.nnc.graph.GraphBuilder;
import dev.nnc.lower.TrainerProgram;
import dev.nnc.lower.Lowering;
import dev.nnc.lower.PredictorProgram;
import dev.nnc.syntax.Model;
import dev.nnc.syntax.Parser;
import dev.nnc.syntax.Program;
import dev.nnc.syntax.SourceReader;
import dev.nnc.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The whole compiler, stage by stage. Each stage reports into the diagnostics; the pipeline stops
 * with a {@link CompileError} after the first stage that reported anything.
 */
public final class Pipeline {

    private Pipeline() {}

    /** Reads, parses and checks one model of a file ({@code modelName} may be null for a one-model file). */
    public static CheckedModel check(Path file, String modelName) {
        return check(SourceReader.read(file), modelName);
    }

    public static CheckedModel check(SourceFile source, String modelName) {
        return DeepStack.call(() -> {
            Diagnostics diagnostics = new Diagnostics(source);
            Program program = Parser.parse(source, diagnostics);
            diagnostics.throwIfErrors();
            Model model = select(program, modelName, diagnostics);
            diagnostics.throwIfErrors();
            CheckedModel checked = Checker.check(program, model, diagnostics);
            diagnostics.throwIfErrors();
            return checked;
        });
    }

    /**
     * Parses and checks every model of a file, in the file's order. The errors of all of them
     * come out together; one that several models share (in a top-level {@code def}) once.
     */
    public static List<CheckedModel> checkAll(SourceFile source) {
        return DeepStack.call(() -> {
            Diagnostics diagnostics = new Diagnostics(source);
            Program program = Parser.parse(source, diagnostics);
            diagnostics.throwIfErrors();
            rejectRepeatedNames(program, diagnostics);
            diagnostics.throwIfErrors();
            List<CheckedModel> checked = new ArrayList<>();
            for (Model model : program.models()) {
                Diagnostics own = new Diagnostics(source);
                checked.add(Checker.check(program, model, own));
                for (Diagnostic d : own.sorted()) {
                    if (!diagnostics.sorted().contains(d)) {
                        diagnostics.error(d.pos(), d.message());
                    }
                }
            }
            diagnostics.throwIfErrors();
            return List.copyOf(checked);
        });
    }

    /** The graph and gradients of a checked model: build, differentiate, simplify. */
    public static Derivation derive(CheckedModel model) {
        return DeepStack.call(() -> Derivation.of(GraphBuilder.build(model)));
    }

    /**
     * The standalone trainer of a checked model: derive, lower (training, evaluation and prediction
     * programs), emit with JavaPoet, and append the runtime that drives it.
     *
     * @param baseDir where relative data paths of the train block resolve, as the trainer sees it
     *                (absolute, for a trainer that runs anywhere); written only when the block names one
     */
    public static TrainerSource generate(CheckedModel model, String className, String packageName, String baseDir) {
        return generate(model, className, packageName, baseDir, Codegen.DEFAULT);
    }

    /** {@link #generate(CheckedModel, String, String, String)} with the code shaped as {@code codegen} says. */
    public static TrainerSource generate(CheckedModel model, String className, String packageName, String baseDir, Codegen codegen) {
        return DeepStack.call(() -> {
            Derivation d = Derivation.of(GraphBuilder.build(model));
            TrainerProgram program = Lowering.trainer(d, codegen.batching());
            String name = className != null ? className : TrainerEmitter.className(model.name());
            JavaFile file = new TrainerEmitter(program, name, packageName, baseDir, codegen).emit();
            return new TrainerSource(packageName == null ? "" : packageName, name, file.toString(), codegen.vector());
        });
    }

    /**
     * The inference-only class of a checked model with trained weights: derive (the prediction's
     * names come from the gradient listing, as in the trainer), lower the prediction alone with its
     * weights, emit. The class is {@code className}, by default the model's class name + {@code Predictor}.
     *
     * @param weights     the value of every parameter, by its {@code .nn} name, in the model's shapes
     * @param weightsName the weights file's name, which the class's Javadoc gives, or null
     */
    public static PredictorSource predictor(CheckedModel model, Map<String, Tensor> weights, String weightsName,
            String className, String packageName) {
        return DeepStack.call(() -> {
            PredictorProgram program = PredictorProgram.of(Derivation.of(GraphBuilder.build(model)), weights);
            String name = className != null ? className : TrainerEmitter.className(model.name()) + "Predictor";
            JavaFile file = new PredictorEmitter(program, name, packageName, weightsName).emit();
            return new PredictorSource(packageName == null ? "" : packageName, name, file.toString());
        });
    }

    /** The model the command line asks for; a wrong name is a usage error, a repeated name a file error. */
    private static Model select(Program program, String name, Diagnostics diagnostics) {
        Map<String, Model> byName = rejectRepeatedNames(program, diagnostics);
        if (diagnostics.hasErrors()) {
            return null; // the file is wrong whatever the command line picks
        }
        String names = program.models().stream().map(Model::name).collect(Collectors.joining(", "));
        if (name == null) {
            if (program.models().size() > 1) {
                throw new UsageError(program.source().path() + " holds several models (" + names
                        + "): choose one with --model NAME");
            }
            return program.models().get(0);
        }
        Model m = byName.get(name);
        if (m == null) {
            throw new UsageError(program.source().path() + " has no model '" + name + "'; it has " + names);
        }
        return m;
    }

    /** The models by name; a name used twice is an error at its second model. */
    private static Map<String, Model> rejectRepeatedNames(Program program, Diagnostics diagnostics) {
        Map<String, Model> byName = new HashMap<>();
        for (Model m : program.models()) {
            Model first = byName.putIfAbsent(m.name(), m);
            if (first != null) {
                diagnostics.error(m.pos(), "model " + m.name() + " is already defined at line " + first.pos().line());
            }
        }
        return byName;
    }
}

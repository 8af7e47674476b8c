package dev.nnc.cli;

import dev.nnc.Pipeline;
import dev.nnc.autodiff.Derivation;
import dev.nnc.autodiff.GradientListing;
import dev.nnc.check.CheckedModel;
import dev.nnc.diag.DeepStack;
import dev.nnc.graph.DotPrinter;
import dev.nnc.graph.ForwardGraph;
import dev.nnc.graph.GraphBuilder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nnc graph FILE [--backward]}: the expression graph in Graphviz DOT on stdout
 * ({@code nnc graph m.nn | dot -Tsvg > m.svg}). It takes no {@code --json}: DOT is its only form.
 */
@Command(name = "graph", description = "Print the expression graph in Graphviz DOT (render it with: dot -Tsvg).")
final class GraphCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The .nn file.")
    Path file;

    @Option(names = "--model", paramLabel = "NAME", description = "The model to use when the file holds several.")
    String model;

    @Option(names = "--backward", description = "Also draw the simplified gradients and the forward values they reuse.")
    boolean backward;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CheckedModel checked = Pipeline.check(file, model);
        String dot;
        if (backward) {
            Derivation derivation = Pipeline.derive(checked);
            dot = DotPrinter.both(derivation.forward(), derivation.simplified().params(),
                    GradientListing.of(derivation).sharedNames());
        } else {
            ForwardGraph fwd = DeepStack.call(() -> GraphBuilder.build(checked)); // as Pipeline.derive does
            dot = DotPrinter.forward(fwd);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(dot);
        out.flush();
        return 0;
    }
}

package dev.nnc.cli;

import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.runtime.Support;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code nnc train} reads the data sets on a second thread while it generates and compiles the
 * trainer (the Fashion-MNIST files take 0.4-0.9 s to inflate), and hands them to the trainer as
 * they come: its runtime waits for them (warming up meanwhile) instead of reading the same files again. The trainer reads exactly what
 * it would have read ({@code --data}, else the train block's file, resolved the same way), with the
 * same reader; anything that goes wrong here is left for the trainer to meet and report itself.
 */
final class ReadAhead {

    /** One data set to read: as the trainer names it. */
    private record Source(String text, Path base) {}

    private final boolean f64;
    private final List<Source> sources;
    private final List<CompletableFuture<Support.Dataset>> read = new ArrayList<>();
    private final Thread thread;

    private ReadAhead(boolean f64, List<Source> sources, List<Support.Variable> variables) {
        this.f64 = f64;
        this.sources = sources;
        for (int i = 0; i < sources.size(); i++) {
            read.add(new CompletableFuture<>());
        }
        this.thread = new Thread(() -> {
            for (int i = 0; i < sources.size(); i++) {
                Source s = sources.get(i);
                try {
                    read.get(i).complete(Support.readData(s.text(), s.base(), variables, f64));
                } catch (RuntimeException | OutOfMemoryError e) {
                    read.get(i).complete(null); // the trainer reads it again and reports the problem
                }
            }
        }, "nnc-read-ahead");
        thread.setDaemon(true);
    }

    /**
     * Starts reading the data the trainer of {@code model} will train and test on (relative paths of
     * its train block resolved against {@code dir}, the .nn file's folder); null when there is no file to read.
     */
    static ReadAhead start(CheckedModel model, Path dir, String data, String testData) {
        TrainConfig t = model.train();
        List<Source> sources = new ArrayList<>();
        if (data != null) {
            sources.add(new Source(data, null));
        } else if (t.data() != null) {
            sources.add(new Source(t.data().text(), dir));
        }
        if (testData != null) {
            sources.add(new Source(testData, null));
        } else if (t.test() != null) {
            sources.add(new Source(t.test().text(), dir));
        }
        if (sources.isEmpty()) {
            return null;
        }
        List<Support.Variable> variables = new ArrayList<>();
        for (CheckedModel.Variable v : model.inputs()) {
            variables.add(Support.Variable.input(v.name(), (int) v.shape().size()));
        }
        for (CheckedModel.Variable v : model.targets()) {
            variables.add(v.onehot() ? Support.Variable.onehot(v.name(), (int) v.shape().size())
                    : Support.Variable.target(v.name(), (int) v.shape().size()));
        }
        ReadAhead ahead = new ReadAhead(t.dtype() == TrainConfig.DType.F64, sources, variables);
        ahead.thread.start();
        return ahead;
    }

    /**
     * Hands the data sets to the trainer that is about to run in this JVM, read or still being read:
     * it waits for each when it needs it (and warms up meanwhile, see {@code NncWarmup}).
     */
    void handOver() {
        for (int i = 0; i < sources.size(); i++) {
            Support.preload(sources.get(i).text(), sources.get(i).base(), f64, read.get(i));
        }
    }
}

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
            try {
                for (int i = 0; i < sources.size(); i++) {
                    Source s = sources.get(i);
                    try {
                        read.get(i).complete(Support.readData(s.text(), s.base(), variables, f64));
                    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                        read.get(i).complete(null); // the trainer reads it again and reports the problem
                    }
                }
            } finally {
                // never leave the trainer waiting, whatever stopped this thread
                read.forEach(f -> f.complete(null));
            }
        }, "nnc-read-ahead");
        thread.setDaemon(true);
    }

    /**
     * What a read-ahead needs of the model: its precision, the train block's data and test sets (as
     * written, or null), and the per-sample variables. It is kept with the cached trainer
     * ({@link #encode}), so that an unchanged model's data can be read while it is checked again.
     */
    record Plan(boolean f64, String data, String test, List<Support.Variable> variables) {

        static Plan of(CheckedModel model) {
            TrainConfig t = model.train();
            List<Support.Variable> variables = new ArrayList<>();
            for (CheckedModel.Variable v : model.inputs()) {
                variables.add(Support.Variable.input(v.name(), (int) v.shape().size()));
            }
            for (CheckedModel.Variable v : model.targets()) {
                variables.add(v.onehot() ? Support.Variable.onehot(v.name(), (int) v.shape().size())
                        : Support.Variable.target(v.name(), (int) v.shape().size()));
            }
            return new Plan(t.dtype() == TrainConfig.DType.F64, t.data() == null ? null : t.data().text(),
                    t.test() == null ? null : t.test().text(), variables);
        }

        /** One line a field, data and test as Java string literals (or {@code -}), then one line a variable. */
        String encode() {
            StringBuilder b = new StringBuilder("plan 1\n").append(f64).append('\n').append(quote(data)).append('\n')
                    .append(quote(test)).append('\n');
            for (Support.Variable v : variables) {
                b.append(v.name()).append(' ').append(v.size()).append(' ').append(v.target()).append(' ').append(v.classes())
                        .append('\n');
            }
            return b.toString();
        }

        /** The plan {@code text} holds, or null when it holds none ({@link #encode}'s form). */
        static Plan decode(String text) {
            String[] lines = text.split("\n", -1);
            if (lines.length < 5 || !lines[0].equals("plan 1")) {
                return null;
            }
            try {
                List<Support.Variable> variables = new ArrayList<>();
                for (int i = 4; i < lines.length - 1; i++) {
                    String[] f = lines[i].split(" ");
                    variables.add(new Support.Variable(f[0], Integer.parseInt(f[1]), Boolean.parseBoolean(f[2]),
                            Integer.parseInt(f[3])));
                }
                return new Plan(Boolean.parseBoolean(lines[1]), unquote(lines[2]), unquote(lines[3]), variables);
            } catch (RuntimeException e) {
                return null;
            }
        }

        private static String quote(String s) {
            return s == null ? "-" : "\"" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + "\"";
        }

        private static String unquote(String s) {
            if (s.equals("-")) {
                return null;
            }
            StringBuilder b = new StringBuilder();
            for (int i = 1; i < s.length() - 1; i++) {
                char c = s.charAt(i);
                if (c == '\\') {
                    char d = s.charAt(++i);
                    b.append(d == 'n' ? '\n' : d == 'r' ? '\r' : d);
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
    }

    /**
     * Starts reading the data a trainer of the model of {@code plan} will train and test on
     * ({@code --data} and {@code --test-data} when given, else the train block's files, relative
     * paths resolved against {@code dir}, the .nn file's folder); null when there is no file to read.
     */
    static ReadAhead start(Plan plan, Path dir, String data, String testData) {
        List<Source> sources = new ArrayList<>();
        if (data != null) {
            sources.add(new Source(data, null));
        } else if (plan.data() != null) {
            sources.add(new Source(plan.data(), dir));
        }
        if (testData != null) {
            sources.add(new Source(testData, null));
        } else if (plan.test() != null) {
            sources.add(new Source(plan.test(), dir));
        }
        if (sources.isEmpty()) {
            return null;
        }
        ReadAhead ahead = new ReadAhead(plan.f64(), sources, plan.variables());
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

package dev.nnc.runtime;

/**
 * The generic part of every generated trainer: flags, data, the epoch loop, evaluation,
 * predictions, weights files and the gradient check, on top of the model-specific
 * {@link NncModel}. A generated class {@code TinyRelu} has
 * <pre>
 *   public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
 *       return NncDriver.run(args, seed -&gt; new TinyRelu(seed).trainer(), DEFAULTS, stdout, stderr);
 *   }
 * </pre>
 * and {@code nnc train} calls that {@code run} in-process, so nothing here exits the JVM or prints
 * to any stream but the two it is given: results to {@code out}, messages to {@code err}.
 *
 * <p>Exit codes as in cli.md: 0 success; 1 bad data or weights, a gradient check above its
 * tolerance, or training that turned non-finite; 2 a bad command line; 3 anything else.
 */
public final class NncDriver {

    private NncDriver() {}

    /** The model's train block, as the flags override it. */
    public static final class Defaults {
        final int epochs;
        final int batch;
        final boolean shuffle;
        final long seed;
        /** The training data as the flags take it ({@code path.csv}, {@code idx(images, labels)}), or null. */
        final String data;
        /** The test data in the same form, or null. */
        final String test;
        /** The directory {@link #data} and {@link #test} are relative to, or null for the working directory. */
        final String baseDir;
        /** The model's inline data set in the trainer's dtype, or null. */
        final NncSupport.Dataset inline;
        /** The learning rate schedule ({@code constant} when the block names none). */
        final LearningRateSchedule schedule;
        /** {@code clip_norm}, or 0 when the block names none. */
        final double clipNorm;

        public Defaults(int epochs, int batch, boolean shuffle, long seed, String data, String test, String baseDir,
                NncSupport.Dataset inline) {
            this(epochs, batch, shuffle, seed, data, test, baseDir, inline, LearningRateSchedule.constant(), 0);
        }

        private Defaults(int epochs, int batch, boolean shuffle, long seed, String data, String test, String baseDir,
                NncSupport.Dataset inline, LearningRateSchedule schedule, double clipNorm) {
            if (epochs < 1 || batch < 1) {
                throw new IllegalArgumentException("bad defaults: epochs " + epochs + ", batch " + batch);
            }
            if (schedule == null || !(clipNorm >= 0)) {
                throw new IllegalArgumentException("bad defaults: schedule " + schedule + ", clip_norm " + clipNorm);
            }
            this.epochs = epochs;
            this.batch = batch;
            this.shuffle = shuffle;
            this.seed = seed;
            this.data = data;
            this.test = test;
            this.baseDir = baseDir;
            this.inline = inline;
            this.schedule = schedule;
            this.clipNorm = clipNorm;
        }

        /** The same with the train block's {@code schedule}. */
        public Defaults withSchedule(LearningRateSchedule schedule) {
            return new Defaults(epochs, batch, shuffle, seed, data, test, baseDir, inline, schedule, clipNorm);
        }

        /** The same with the train block's {@code clip_norm}. */
        public Defaults withClipNorm(double clipNorm) {
            return new Defaults(epochs, batch, shuffle, seed, data, test, baseDir, inline, schedule, clipNorm);
        }
    }

    /** Something the run found wrong with its input after the flags were read (exit 1). */
    public static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message, null, false, false);
        }
    }

    /** What draws {@code --plot} for the run on this thread: nnc train's; none in a standalone trainer. */
    private static final ThreadLocal<NncPlotter> PLOTTER = new ThreadLocal<>();

    /** Runs {@code body} (a trainer's run) with {@code plotter} drawing its {@code --plot}, on this thread. */
    public static <T> T withPlotter(NncPlotter plotter, java.util.function.Supplier<T> body) {
        NncPlotter before = PLOTTER.get();
        PLOTTER.set(plotter);
        try {
            return body.get();
        } finally {
            PLOTTER.set(before);
        }
    }

    /** The plotter of this thread's run, or null. */
    static NncPlotter plotter() {
        return PLOTTER.get();
    }

    /** {@code --plot F}: F ends in .png or .svg, can be written, and there is something to draw it with. */
    private static void checkPlot(String plot) {
        if (plot == null) {
            return;
        }
        if (plotFormat(plot) == null) {
            throw new NncSupport.UsageError("--plot " + plot + ": the file must end in .png or .svg (the picture's format)");
        }
        if (PLOTTER.get() == null) {
            throw new NncSupport.UsageError("--plot: this standalone trainer draws no charts (it needs nothing but the JDK);"
                    + " nnc train --plot draws them, and --history F.csv writes the same figures");
        }
        NncFiles.checkTarget(plot, "--plot");
    }

    /** {@code "png"} or {@code "svg"} from the file's extension (any case), else null. */
    static String plotFormat(String plot) {
        String lower = plot.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".png") ? "png" : lower.endsWith(".svg") ? "svg" : null;
    }

    /** Runs the trainer with {@code args} and returns its exit code; never exits, never shows a stack trace. */
    public static int run(String[] args, java.util.function.LongFunction<NncModel> factory, Defaults defaults,
            java.io.PrintStream out, java.io.PrintStream err) {
        try {
            NncFlags flags;
            try {
                flags = NncFlags.parse(args);
                if (!flags.help) {
                    checkMode(flags);
                    NncFiles.checkTarget(flags.save, "--save");
                    NncFiles.checkTarget(flags.checkpoint, "--checkpoint");
                    NncFiles.checkTarget(flags.history, "--history");
                    checkPlot(flags.plot);
                }
            } catch (NncSupport.UsageError e) {
                err.println("error: " + e.getMessage());
                err.println("run with --help to see the flags");
                return 2;
            }
            long seed = flags.seed != null ? flags.seed : defaults.seed;
            NncPool.setThreads(flags.threads != null ? flags.threads : Runtime.getRuntime().availableProcessors());
            NncTimeline.mark("trainer starts");
            int batch = flags.batch != null ? flags.batch : defaults.batch;
            boolean training = !flags.help && !flags.eval && !flags.predict && !flags.gradcheck;
            // a model too big for a warm-up on a copy takes a while to be made: its kernels warm meanwhile
            NncWarmup.Kernels kernels = training ? NncWarmup.Kernels.start(batch) : NncWarmup.Kernels.NONE;
            NncModel model;
            try {
                model = factory.apply(seed);
            } catch (RuntimeException | Error e) {
                kernels.stop();
                throw e;
            }
            NncTimeline.mark("model made");
            if (flags.help) {
                out.print(NncFlags.usage("java " + model.getClass().getName()));
                return 0;
            }
            if (flags.weights != null) {
                model.setWeights(NncWeights.loadWeights(file(flags.weights), model.paramNames(), model.paramShapes()));
            }
            if (flags.eval) {
                eval(model, data(flags, defaults, model, false), flags.json, out);
            } else if (flags.predict) {
                predict(model, data(flags, defaults, model, true), flags.json, out);
            } else if (flags.gradcheck) {
                NncGradcheck.check(model, () -> factory.apply(seed), checkData(flags, defaults, model), seed,
                        flags.elements != null ? flags.elements : NncGradcheck.MAX_ELEMENTS, flags.json, out, err);
            } else {
                // the data sets are read on a thread while a copy of the model warms the JIT up (NncWarmup)
                int epochs = flags.epochs != null ? flags.epochs : defaults.epochs;
                NncSupport.Dataset[] read = NncWarmup.whileReading(
                        () -> new NncSupport.Dataset[] {data(flags, defaults, model, false), testData(flags, defaults, model)},
                        model, () -> factory.apply(seed ^ 0x5eedL), batch, epochs, expectedSamples(flags, defaults), d -> d[0].samples,
                        kernels);
                NncTimeline.mark("data taken");
                return NncTraining.train(model, flags, defaults, read[0], read[1], out, err);
            }
            return 0;
        } catch (NncSupport.DataError | Failed e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (OutOfMemoryError e) {
            err.println("error: out of memory (java -Xmx... gives the trainer more)");
            return 3;
        } catch (RuntimeException | StackOverflowError e) {
            err.println("error: internal error: " + e);
            return 3;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * {@code --eval}: the loss and accuracy of the weights on the data; for a classifier also each
     * class's precision, recall and F1, their macro averages and the confusion matrix.
     */
    private static void eval(NncModel model, NncSupport.Dataset data, boolean json, java.io.PrintStream out) {
        NncClassifier classifier = NncClassifier.of(model);
        int[][] confusion = classifier != null ? classifier.confusion() : null;
        double[] result = evaluate(model, data, classifier, confusion);
        Evaluation e = new Evaluation(result[0], result[1], data.samples, confusion, classifier != null && classifier.binary());
        if (json) {
            java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
            doc.put("loss", result[0]);
            if (!Double.isNaN(result[1])) {
                doc.put("accuracy", result[1]);
            }
            doc.put("samples", data.samples);
            e.putMetrics(doc);
            printJson(out, doc);
        } else {
            String accuracy = Double.isNaN(result[1]) ? "" : "  accuracy " + NncProgress.fixed(result[1], 4);
            out.println("loss " + NncProgress.loss(result[0]) + accuracy + "  samples " + data.samples);
            out.print(e.report());
        }
    }

    /** {@code --predict}: the output of every sample, one line each, or a JSON array of arrays. */
    private static void predict(NncModel model, NncSupport.Dataset data, boolean json, java.io.PrintStream out) {
        int size = model.outputSize();
        if (size == 0) {
            throw new Failed("model " + model.name() + " declares no output to predict");
        }
        model.useData(data);
        double[] output = new double[size];
        Object[] rows = json ? new Object[data.samples] : null;
        StringBuilder line = new StringBuilder();
        for (int s = 0; s < data.samples; s++) {
            model.predict(s);
            model.output(output);
            if (json) {
                rows[s] = nested(output, new int[] {size}, model.f64());
                continue;
            }
            line.setLength(0);
            for (int i = 0; i < size; i++) {
                double v = output[i];
                String text = !Double.isFinite(v) ? Double.toString(v) : model.f64() ? NncJson.number(v) : NncJson.number((float) v);
                line.append(i == 0 ? "" : " ").append(text);
            }
            out.println(line);
        }
        if (json) {
            printJson(out, rows);
        }
    }

    /**
     * The mean loss of every sample of {@code data} and, for a classifier, the accuracy: the share of
     * samples whose predicted class ({@link NncClassifier#predicted}) is their own; else NaN.
     * Leaves the model pointed at {@code data}.
     */
    static double[] evaluate(NncModel model, NncSupport.Dataset data, NncClassifier classifier) {
        return evaluate(model, data, classifier, null);
    }

    /** As above, counting into {@code confusion[actual][predicted]} too when it is not null. */
    static double[] evaluate(NncModel model, NncSupport.Dataset data, NncClassifier classifier, int[][] confusion) {
        model.useData(data);
        double[] output = new double[model.outputSize()];
        double sum = 0;
        long correct = 0;
        int rows = Math.max(1, model.evaluationRows());
        for (int from = 0; from < data.samples; from += rows) {
            int nb = Math.min(rows, data.samples - from);
            sum += model.evaluateRows(from, nb);
            if (classifier != null) {
                for (int r = 0; r < nb; r++) {
                    model.outputRow(r, output);
                    int actual = classifier.actual(data, from + r);
                    int predicted = classifier.predicted(output);
                    correct += predicted == actual ? 1 : 0;
                    if (confusion != null) {
                        confusion[actual][predicted]++;
                    }
                }
            }
        }
        double accuracy = classifier != null ? (double) correct / data.samples : Double.NaN;
        return new double[] {sum / data.samples, accuracy};
    }

    /** Flags that mean nothing in the mode given are refused rather than silently ignored. */
    private static void checkMode(NncFlags flags) {
        String mode = flags.eval ? "--eval" : flags.predict ? "--predict" : flags.gradcheck ? "--gradcheck" : null;
        if (flags.elements != null && !flags.gradcheck) {
            throw new NncSupport.UsageError("--elements goes with --gradcheck" + (mode == null ? "" : ", not with " + mode));
        }
        if (mode == null) {
            return;
        }
        String[] given = {flags.testData != null ? "--test-data" : null, flags.epochs != null ? "--epochs" : null,
            flags.batch != null ? "--batch" : null, flags.lr != null ? "--lr" : null, flags.save != null ? "--save" : null,
            flags.checkpoint != null ? "--checkpoint" : null, flags.validationSplit != null ? "--validation-split" : null,
            flags.earlyStopping != null ? "--early-stopping" : null, flags.history != null ? "--history" : null};
        for (String flag : given) {
            if (flag != null) {
                throw new NncSupport.UsageError(flag + " cannot be used with " + mode);
            }
        }
        if (!flags.gradcheck && flags.weights == null) {
            throw new NncSupport.UsageError(mode + " needs --weights W.json");
        }
    }

    /**
     * {@code --data}, else the train block's data file, else the inline data; a model without
     * per-sample variables (a plain function of its parameters) has one empty sample, so each epoch
     * is one step on the function itself.
     */
    private static NncSupport.Dataset data(NncFlags flags, Defaults defaults, NncModel model, boolean inputsOnly) {
        return data(flags, defaults, model, inputsOnly, false);
    }

    /**
     * The gradient check's data: {@code --data}, else the inline data (the worked example that
     * {@code nnc grad} and {@code trace} use too), else the train block's file.
     */
    private static NncSupport.Dataset checkData(NncFlags flags, Defaults defaults, NncModel model) {
        return data(flags, defaults, model, false, true);
    }

    private static NncSupport.Dataset data(NncFlags flags, Defaults defaults, NncModel model, boolean inputsOnly,
            boolean inlineFirst) {
        NncSupport.Dataset data;
        if (flags.data != null) {
            data = read(flags.data, null, model, inputsOnly);
        } else if (defaults.inline != null && (inlineFirst || defaults.data == null)) {
            data = defaults.inline;
        } else if (defaults.data != null) {
            data = read(defaults.data, base(defaults), model, inputsOnly);
        } else if (model.schema().count() == 0) {
            data = NncSupport.Dataset.allocate(model.schema(), 1, model.f64());
        } else {
            throw new Failed("no data: the model names no data file and has no inline data; give --data F");
        }
        if (data.samples < 1) {
            throw new Failed("the data set holds no samples");
        }
        return data;
    }

    /** About how many samples the training data holds, before it is read ({@link NncSupport#estimatedSamples}); -1 when unknown. */
    private static long expectedSamples(NncFlags flags, Defaults defaults) {
        if (flags.data != null) {
            return NncSupport.estimatedSamples(flags.data, null);
        }
        if (defaults.inline != null && defaults.data == null) {
            return defaults.inline.samples;
        }
        return defaults.data != null ? NncSupport.estimatedSamples(defaults.data, base(defaults)) : -1;
    }

    /** {@code --test-data}, else the train block's test file, else null. */
    private static NncSupport.Dataset testData(NncFlags flags, Defaults defaults, NncModel model) {
        if (flags.testData != null) {
            return read(flags.testData, null, model, false);
        }
        return defaults.test == null ? null : read(defaults.test, base(defaults), model, false);
    }

    private static NncSupport.Dataset read(String source, java.nio.file.Path base, NncModel model, boolean inputsOnly) {
        return inputsOnly ? NncSupport.readInputs(source, base, model.schema(), model.f64())
                : NncSupport.readData(source, base, model.schema(), model.f64());
    }

    private static java.nio.file.Path base(Defaults defaults) {
        return defaults.baseDir == null ? null : java.nio.file.Path.of(defaults.baseDir);
    }

    /** A path given on the command line, relative to the working directory. */
    static java.nio.file.Path file(String text) {
        try {
            return java.nio.file.Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new NncSupport.DataError(text + " is not a valid path");
        }
    }

    /** Writes the model's current weights, in float's shortest form for an f32 trainer. */
    static void save(NncModel model, String path) {
        save(model, file(path));
    }

    /** As above, to {@code path}. */
    static void save(NncModel model, java.nio.file.Path path) {
        double[][] values = model.weights();
        if (model.f64()) {
            NncWeights.saveWeights(path, model.paramNames(), model.paramShapes(), values);
            return;
        }
        float[][] floats = new float[values.length][];
        for (int p = 0; p < values.length; p++) {
            floats[p] = new float[values[p].length];
            for (int i = 0; i < values[p].length; i++) {
                floats[p][i] = (float) values[p][i];
            }
        }
        NncWeights.saveWeights(path, model.paramNames(), model.paramShapes(), floats);
    }

    /** Prints one JSON document; a non-finite value, which JSON cannot hold, fails the run instead. */
    static void printJson(java.io.PrintStream out, Object document) {
        String text;
        try {
            text = NncJson.write(document);
        } catch (IllegalArgumentException e) {
            throw new Failed("cannot print the result as JSON: " + e.getMessage());
        }
        out.println(text);
    }

    /** A parameter's flat values as nested arrays by shape: a boxed number for a scalar. */
    static Object nested(double[] flat, int[] shape, boolean f64) {
        return nested(flat, shape, 0, 0, f64);
    }

    private static Object nested(double[] flat, int[] shape, int dim, int at, boolean f64) {
        if (dim == shape.length) {
            if (f64) {
                return Double.valueOf(flat[at]);
            }
            return Float.valueOf((float) flat[at]);
        }
        int stride = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            stride *= shape[d];
        }
        Object[] items = new Object[shape[dim]];
        for (int i = 0; i < items.length; i++) {
            items[i] = nested(flat, shape, dim + 1, at + i * stride, f64);
        }
        return items;
    }
}

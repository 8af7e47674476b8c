package dev.nnc.runtime;

/**
 * {@code --gradcheck}: the trainer's gradients against central differences of its own mean loss,
 * {@code (L(w + h) - L(w - h)) / 2h} per parameter element, at the current weights (the initial
 * ones, or {@code --weights}), which are restored afterwards. Dropout is the identity meanwhile.
 *
 * <p>Cost bounds: the batch is the first {@link #MAX_SAMPLES} samples of the data, and a parameter
 * with more than {@code elements} elements ({@code --elements N}, default {@link #MAX_ELEMENTS},
 * {@code all} for every one) has that many of them checked: its first and last element, for a
 * matrix also the last of its first row and the first of its last row (where a blocked loop's edge
 * cases sit), and the rest drawn by {@code SplitMix64(seed)}. Every difference costs at most two
 * forward passes over the batch (in blocks of the trainer's evaluation rows); the element is set and
 * restored alone
 * ({@link NncModel#setWeight}), at no cost that grows with the model, and when the samples are one
 * block of the trainer's evaluation only what the element reaches is evaluated again: the steps from
 * {@link NncModel#evaluationStep}, and of a product whose columns each take one row of the changed
 * matrix (or one element of a bias) the one column ({@link NncModel#evaluationColumns}); the same
 * bits as the whole evaluation. The differences are split over
 * the {@code --threads} (every core by default), each thread but the first on a copy of the model,
 * which the result does not depend on. Memory: the weights once more (to restore them), a copy of
 * the model per extra thread, and one int per element of the largest parameter for the draw.
 */
public final class NncGradcheck {
    static final int MAX_SAMPLES = 64;
    static final int MAX_ELEMENTS = 1000;

    private NncGradcheck() {}

    /** The largest relative error per parameter and overall, for the settings of {@code model}'s dtype. */
    static final class Result {
        final String[] names;
        final double[] perParam;
        final int[] checked;
        final int[] elements;
        final int samples;
        final double tolerance;
        double max;

        Result(String[] names, int[][] shapes, int samples, double tolerance) {
            this.names = names;
            this.perParam = new double[names.length];
            this.checked = new int[names.length];
            this.elements = new int[names.length];
            for (int p = 0; p < names.length; p++) {
                elements[p] = NncWeights.elements(shapes[p]);
            }
            this.samples = samples;
            this.tolerance = tolerance;
        }

        boolean passed() {
            return max <= tolerance;
        }
    }

    static void check(NncModel model, java.util.function.Supplier<NncModel> copies, NncSupport.Dataset data, long seed, int elements,
            boolean json, java.io.PrintStream out, java.io.PrintStream err) {
        if (!model.f64()) {
            err.println("note: this trainer computes in f32, which limits the precision of finite differences:"
                    + " step 1e-3 * max(1, |w|), tolerance 1e-2");
        }
        Result r = compare(model, data, seed, elements, NncPool.threads(), copies);
        if (json) {
            java.util.Map<String, Object> perParam = new java.util.LinkedHashMap<>();
            for (int p = 0; p < r.names.length; p++) {
                perParam.put(r.names[p], r.perParam[p]);
            }
            java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
            doc.put("max_rel_error", r.max);
            doc.put("per_param", perParam);
            NncDriver.printJson(out, doc);
        } else {
            for (int p = 0; p < r.names.length; p++) {
                String of = r.checked[p] == r.elements[p] ? "" : " of " + r.elements[p];
                out.println(r.names[p] + "  max rel error " + scientific(r.perParam[p]) + "  (" + r.checked[p] + of
                        + (r.elements[p] == 1 ? " element)" : " elements)"));
            }
            out.println("max rel error " + scientific(r.max) + " on " + r.samples + (r.samples == 1 ? " sample: " : " samples: ")
                    + (r.passed() ? "ok" : "FAILED") + " (tolerance " + scientific(r.tolerance) + ")");
        }
        if (!r.passed()) {
            throw new NncDriver.Failed("the gradients differ from central differences by up to " + scientific(r.max)
                    + " (tolerance " + scientific(r.tolerance) + ")");
        }
    }

    static Result compare(NncModel model, NncSupport.Dataset data, long seed) {
        return compare(model, data, seed, MAX_ELEMENTS);
    }

    static Result compare(NncModel model, NncSupport.Dataset data, long seed, int count) {
        return compare(model, data, seed, count, 1, null);
    }

    /**
     * As {@link #compare(NncModel, NncSupport.Dataset, long, int)}, the differences split over up to
     * {@code threads} threads: the first on {@code model}, each other on a model from {@code copies}
     * (a new trainer of the same class, given {@code model}'s weights; null: one thread). Each
     * difference is the same computation on the same weights wherever it runs, and the errors are
     * combined in element order, so the result does not depend on the split.
     */
    static Result compare(NncModel model, NncSupport.Dataset data, long seed, int count, int threads,
            java.util.function.Supplier<NncModel> copies) {
        boolean f64 = model.f64();
        // Central differences err by h^2 f'''/6 + eps |L| / h: 1e-6 balances both for f64 (about 1e-12
        // and 1e-10 |L|); f32's eps of 6e-8 needs 1e-3, and leaves errors near 1e-4 |L|.
        double step = f64 ? 1e-6 : 1e-3;
        String[] names = model.paramNames();
        int m = Math.min(MAX_SAMPLES, data.samples);
        int[] order = new int[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Result r = new Result(names, model.paramShapes(), m, f64 ? 1e-6 : 1e-2);
        double[][] original = model.weights();
        model.useData(data);
        // dropout is the identity here, as in every check: the differences compare one function
        NncDropout dropout = model.dropout();
        boolean dropping = dropout != null && dropout.active();
        if (dropout != null) {
            dropout.active(false);
        }
        try {
            double loss = model.gradients(order, 0, m);
            if (!Double.isFinite(loss)) {
                throw new NncDriver.Failed("the loss is " + loss + " at the parameters to check");
            }
            double[][] analytic = model.gradients();
            double largest = 0;
            for (int p = 0; p < names.length; p++) {
                for (double g : analytic[p]) {
                    if (!Double.isFinite(g)) {
                        throw new NncDriver.Failed("a gradient of " + names[p] + " is " + g + " at the parameters to check");
                    }
                    largest = Math.max(largest, Math.abs(g));
                }
            }
            // Each component is compared relative to the larger of itself and a floor. A purely relative
            // test fails on components tiny next to the gradient as a whole, where the differences'
            // absolute error dominates: hence a thousandth of the largest component (1e-8 keeps an
            // all-zero gradient meaningful). The differences also carry the loss's rounding noise,
            // about eps |L| / h: 1e-10 |L| in f64 but 1e-4 |L| in f32, far above f32's 1e-3 of a small
            // gradient; the floor never lets that noise alone (taken 8 times over) reach the tolerance.
            double eps = f64 ? 0x1p-53 : 0x1p-24;
            double noise = 8 * eps * Math.max(1, Math.abs(loss)) / step;
            double floor = Math.max(1e-8 + 1e-3 * largest, noise / r.tolerance);
            NncSupport.SplitMix64 random = new NncSupport.SplitMix64(seed);
            int[][] chosen = new int[names.length][];
            int[] first = new int[names.length + 1]; // task t is element chosen[p][t - first[p]]
            for (int p = 0; p < names.length; p++) {
                chosen[p] = chosen(model.paramShapes()[p], original[p].length, count, random);
                r.checked[p] = chosen[p].length;
                first[p + 1] = first[p] + chosen[p].length;
            }
            double[][] errors = new double[names.length][];
            for (int p = 0; p < names.length; p++) {
                errors[p] = new double[chosen[p].length];
            }
            Differences d = new Differences(names, original, analytic, chosen, first, errors, step, floor, m, f64);
            int parts = copies == null ? 1 : (int) Math.max(1, Math.min(threads, (long) first[names.length] / minTasks));
            d.run(model, parts, copies, data);
            for (int p = 0; p < names.length; p++) {
                for (double error : errors[p]) {
                    r.perParam[p] = Math.max(r.perParam[p], error);
                }
                r.max = Math.max(r.max, r.perParam[p]);
            }
        } finally {
            model.setWeights(original);
            if (dropout != null) {
                dropout.active(dropping);
            }
        }
        return r;
    }

    /** Fewer differences than this per thread are not worth a copy of the model. */
    static final int MIN_TASKS = 64;

    /** The threshold in force: {@link #MIN_TASKS}, lowered by tests that need small checks split. */
    static int minTasks = MIN_TASKS;

    /** The central differences of the chosen elements, task {@code t} for each, run by one or more threads. */
    private static final class Differences {
        final String[] names;
        final double[][] original;
        final double[][] analytic;
        final int[][] chosen;
        final int[] first;
        final double[][] errors;
        final double step;
        final double floor;
        final int m;
        final boolean f64;
        final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        /** The first task that failed (tasks after it are skipped), and its exception. */
        int failedAt = Integer.MAX_VALUE;
        Throwable failure;

        Differences(String[] names, double[][] original, double[][] analytic, int[][] chosen, int[] first, double[][] errors,
                double step, double floor, int m, boolean f64) {
            this.names = names;
            this.original = original;
            this.analytic = analytic;
            this.chosen = chosen;
            this.first = first;
            this.errors = errors;
            this.step = step;
            this.floor = floor;
            this.m = m;
            this.f64 = f64;
        }

        /** Every task: on {@code model} alone, or on it and {@code parts - 1} copies, each on a thread of its own. */
        void run(NncModel model, int parts, java.util.function.Supplier<NncModel> copies, NncSupport.Dataset data) {
            Thread[] helpers = new Thread[parts - 1];
            for (int k = 0; k < helpers.length; k++) {
                helpers[k] = new Thread(() -> {
                    NncModel copy;
                    try {
                        copy = copies.get();
                        copy.setWeights(original);
                        copy.useData(data);
                        if (copy.dropout() != null) {
                            copy.dropout().active(false);
                        }
                    } catch (RuntimeException | OutOfMemoryError e) {
                        return; // no copy, no help: the other threads take every task
                    }
                    try {
                        work(copy);
                    } catch (Throwable e) {
                        failed(-1, e);
                    }
                }, "nnc-gradcheck-" + (k + 1));
                helpers[k].setDaemon(true);
                helpers[k].start();
            }
            try {
                work(model);
            } catch (Throwable e) {
                failed(-1, e);
            }
            for (Thread t : helpers) {
                boolean interrupted = false;
                while (true) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                if (failure instanceof RuntimeException e) {
                    throw e;
                } else if (failure instanceof Error e) {
                    throw e;
                } else if (failure != null) {
                    throw new IllegalStateException(failure);
                }
            }
        }

        /** Takes tasks in blocks until none is left, or one before them failed. */
        private void work(NncModel model) {
            int total = first[names.length];
            int block = 8;
            int p = 0;
            // The samples fit one block of the evaluation: its rows stay between evaluations, and after
            // a change of parameter p only the steps from evaluationStep(p) on run again.
            boolean one = m <= Math.max(1, model.evaluationRows());
            // When each element of p feeds one column of that step's rows, only that column is computed again.
            int[] steps = new int[names.length];
            int[] columns = new int[names.length];
            for (int q = 0; q < names.length; q++) {
                steps[q] = one ? model.evaluationStep(q) : 0;
                columns[q] = one ? model.evaluationColumns(q) : 0;
            }
            // the first step the changes since the last evaluation need, and the one column of it they
            // changed (-1: every column): the first evaluation runs all
            int[] pending = {0, -1};
            for (int t0 = next.getAndAdd(block); t0 < total; t0 = next.getAndAdd(block)) {
                for (int t = t0; t < Math.min(total, t0 + block); t++) {
                    synchronized (this) {
                        if (t > failedAt) {
                            return;
                        }
                    }
                    while (t >= first[p + 1]) {
                        p++;
                    }
                    while (t < first[p]) {
                        p--;
                    }
                    try {
                        errors[p][t - first[p]] = error(model, p, chosen[p][t - first[p]], steps[p], columns[p], pending);
                    } catch (RuntimeException | Error e) {
                        failed(t, e);
                        model.setWeight(p, chosen[p][t - first[p]], original[p][chosen[p][t - first[p]]]);
                        pending[0] = 0;
                        pending[1] = -1;
                    }
                }
            }
        }

        /** Keeps the failure of the earliest task, as a single thread taking them in order would meet it first. */
        private synchronized void failed(int t, Throwable e) {
            int at = t < 0 ? Integer.MAX_VALUE : t;
            if (failure == null || at < failedAt) {
                failure = e;
                failedAt = at;
            }
        }

        /**
         * The relative error of element {@code i} of parameter {@code p}; the element is restored after.
         * {@code from}: the first step of the evaluation a change of {@code p} needs; {@code pending[0]}:
         * the one the changes since the last evaluation need, updated.
         */
        private double error(NncModel model, int p, int i, int from, int columns, int[] pending) {
            double x = original[p][i];
            double h = step * Math.max(1, Math.abs(x));
            double plus = representable(x + h, f64);
            double minus = representable(x - h, f64);
            int c = columns > 0 ? i / columns : -1;
            // the element's column and the pending one, when all the changes are in those two columns
            // of step `from` or in later steps (which run whole)
            int other = c < 0 ? -1 : pending[0] > from ? c : pending[0] == from ? pending[1] : -1;
            double numeric = (meanLoss(model, p, i, plus, m, names, Math.min(pending[0], from), other, c)
                    - meanLoss(model, p, i, minus, m, names, from, c, c)) / (plus - minus);
            model.setWeight(p, i, x);
            pending[0] = from;
            pending[1] = c;
            double a = analytic[p][i];
            return Math.abs(a - numeric) / Math.max(Math.max(Math.abs(a), Math.abs(numeric)), floor);
        }
    }

    /**
     * The mean loss of samples 0 .. m-1 with element {@code i} of parameter {@code p} set to {@code value}:
     * from step {@code step} of the evaluation, and only its columns {@code j} and {@code k} when both are
     * at least 0, when the samples are one block of it.
     */
    private static double meanLoss(NncModel model, int p, int i, double value, int m, String[] names, int step, int j, int k) {
        model.setWeight(p, i, value);
        double sum = 0;
        int rows = Math.max(1, model.evaluationRows());
        if (m <= rows && j >= 0 && k >= 0) {
            sum += model.evaluateRows(0, m, step, j, k);
        } else if (m <= rows) {
            sum += model.evaluateRows(0, m, step);
        } else {
            for (int from = 0; from < m; from += rows) {
                sum += model.evaluateRows(from, Math.min(rows, m - from));
            }
        }
        if (!Double.isFinite(sum)) {
            throw new NncDriver.Failed("the loss is not finite at " + names[p] + " element " + i + " = " + value);
        }
        return sum / m;
    }

    /**
     * Every element index when there are at most {@code count}, else {@code count} distinct ones in
     * increasing order: the corners (first, last; for a matrix the end of the first row and the
     * start of the last), then a seeded draw (the first steps of a Fisher-Yates shuffle).
     */
    static int[] chosen(int[] shape, int size, int count, NncSupport.SplitMix64 random) {
        if (size <= count) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        java.util.Set<Integer> some = new java.util.TreeSet<>();
        int cols = shape.length == 2 ? shape[1] : size;
        for (int corner : new int[] {0, size - 1, cols - 1, size - cols}) {
            if (some.size() < count) {
                some.add(corner);
            }
        }
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        for (int i = 0; some.size() < count; i++) {
            int j = i + random.nextInt(size - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
            some.add(all[i]);
        }
        return some.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The value the trainer will hold: f32 trainers round, so the step is measured after rounding. */
    private static double representable(double x, boolean f64) {
        return f64 ? x : (float) x;
    }

    private static String scientific(double x) {
        return String.format(java.util.Locale.ROOT, "%.2e", x);
    }
}

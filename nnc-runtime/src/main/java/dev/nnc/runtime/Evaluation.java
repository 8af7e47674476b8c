package dev.nnc.runtime;

/**
 * A model's figures on a data set ({@link Model#evaluate}): the mean loss, and for a classifier the
 * accuracy, the confusion matrix and each class's precision, recall and F1. A classifier is a model
 * with a {@code onehot} target and one output per class (the prediction is the largest output, the
 * first on ties), or a binary classifier ({@link Schema.Binary}: one output, one target of 0 or 1;
 * classes 0 and 1, class 1 the positive one). Immutable, and so safe to share between threads.
 *
 * <p>Precision, recall and F1 follow scikit-learn's {@code precision_recall_fscore_support} with
 * {@code zero_division=0} (and torchmetrics): a class never predicted has precision 0, a class with
 * no samples recall 0, and then F1 0. The macro averages are the plain means over the classes that
 * occur among the targets or the predictions (a class that is neither is left out, as scikit-learn
 * does without {@code labels} and torchmetrics with {@code average="macro"}).
 */
public final class Evaluation {

    private final double loss;
    private final double accuracy;
    private final int samples;
    private final int[][] confusion;
    private final boolean binary;

    Evaluation(double loss, double accuracy, int samples, int[][] confusion, boolean binary) {
        this.loss = loss;
        this.accuracy = accuracy;
        this.samples = samples;
        this.confusion = confusion;
        this.binary = binary;
    }

    /** The mean loss over the samples. */
    public double loss() {
        return loss;
    }

    /**
     * The share of samples whose predicted class is their own: the output's largest element (the first
     * on ties) for a onehot target, {@code output >= 0.5} (a logit: {@code >= 0}) for a binary one;
     * NaN when not a classifier.
     */
    public double accuracy() {
        return accuracy;
    }

    /** The number of samples evaluated. */
    public int samples() {
        return samples;
    }

    /** Whether the model is a classifier, so that {@link #accuracy()} and {@link #confusion()} are defined. */
    public boolean classifier() {
        return confusion != null;
    }

    /** Whether the model is a binary classifier: classes 0 and 1, class 1 the positive one. */
    public boolean binary() {
        return binary;
    }

    /** The number of classes: the onehot target's, 2 for a binary classifier, 0 when not a classifier. */
    public int classes() {
        return confusion == null ? 0 : confusion.length;
    }

    /**
     * Per-class counts: {@code confusion()[actual][predicted]} samples of class {@code actual} were
     * predicted as {@code predicted} (a copy). Its diagonal holds each class's right answers.
     */
    public int[][] confusion() {
        if (confusion == null) {
            throw new IllegalStateException("not a classifier: the model has no onehot target with one output per class"
                    + " and no binary target");
        }
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /** The samples of class {@code cls}: the row sum of the confusion matrix. */
    public long support(int cls) {
        check(cls);
        return actual(cls);
    }

    /** Of the samples predicted as {@code cls}, the share that are; 0 when none is predicted as it. */
    public double precision(int cls) {
        check(cls);
        return ratio(confusion[cls][cls], predicted(cls));
    }

    /** Of the samples of class {@code cls}, the share predicted as it; 0 when there are none. */
    public double recall(int cls) {
        check(cls);
        return ratio(confusion[cls][cls], actual(cls));
    }

    /**
     * The harmonic mean of {@link #precision(int)} and {@link #recall(int)}, computed as
     * {@code 2 tp / (2 tp + fp + fn)}; 0 when the class is neither predicted nor present.
     */
    public double f1(int cls) {
        check(cls);
        long tp = confusion[cls][cls];
        return ratio(2 * tp, actual(cls) + predicted(cls));
    }

    /** The mean of {@link #precision(int)} over the classes that occur (see the class comment); NaN when not a classifier. */
    public double macroPrecision() {
        return macro(this::precision);
    }

    /** The mean of {@link #recall(int)} over the classes that occur; NaN when not a classifier. */
    public double macroRecall() {
        return macro(this::recall);
    }

    /** The mean of {@link #f1(int)} over the classes that occur; NaN when not a classifier. */
    public double macroF1() {
        return macro(this::f1);
    }

    private double macro(java.util.function.IntToDoubleFunction figure) {
        if (confusion == null) {
            return Double.NaN;
        }
        double sum = 0;
        int occurring = 0;
        for (int c = 0; c < confusion.length; c++) {
            if (actual(c) + predicted(c) > 0) {
                sum += figure.applyAsDouble(c);
                occurring++;
            }
        }
        return occurring == 0 ? Double.NaN : sum / occurring;
    }

    private void check(int cls) {
        if (confusion == null) {
            throw new IllegalArgumentException("class " + cls + ": not a classifier, the evaluation has no classes");
        }
        if (cls < 0 || cls >= confusion.length) {
            throw new IllegalArgumentException("class " + cls + " is out of range: the model has " + confusion.length
                    + " classes (0 to " + (confusion.length - 1) + ")");
        }
    }

    private long actual(int cls) {
        long n = 0;
        for (int p = 0; p < confusion.length; p++) {
            n += confusion[cls][p];
        }
        return n;
    }

    private long predicted(int cls) {
        long n = 0;
        for (int[] row : confusion) {
            n += row[cls];
        }
        return n;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    /**
     * Adds a classifier's figures to the {@code eval --json} document: {@code precision}, {@code recall}
     * and {@code f1} (arrays by class), {@code macro_precision}, {@code macro_recall}, {@code macro_f1}
     * and {@code confusion} (rows the true class); nothing when not a classifier.
     */
    void putMetrics(java.util.Map<String, Object> doc) {
        if (confusion == null) {
            return;
        }
        int n = confusion.length;
        Object[] precision = new Object[n];
        Object[] recall = new Object[n];
        Object[] f1 = new Object[n];
        Object[] rows = new Object[n];
        for (int c = 0; c < n; c++) {
            precision[c] = precision(c);
            recall[c] = recall(c);
            f1[c] = f1(c);
            Object[] row = new Object[n];
            for (int p = 0; p < n; p++) {
                row[p] = confusion[c][p];
            }
            rows[c] = row;
        }
        doc.put("precision", precision);
        doc.put("recall", recall);
        doc.put("f1", f1);
        if (!Double.isNaN(macroF1())) {
            doc.put("macro_precision", macroPrecision());
            doc.put("macro_recall", macroRecall());
            doc.put("macro_f1", macroF1());
        }
        doc.put("confusion", rows);
    }

    /**
     * The lines {@code eval} prints after the loss for a classifier (nothing otherwise):
     * <pre>
     *
     * class  precision  recall      f1  support
     * 0         1.0000  0.6667  0.8000        3
     * 1         0.5000  1.0000  0.6667        1
     * macro     0.7500  0.8333  0.7333        4
     * positive class 1: precision 0.5000  recall 1.0000  f1 0.6667
     *
     * confusion (rows: true class, columns: predicted class)
     *        0  1
     * 0      2  1
     * 1      0  1
     * </pre>
     * (the {@code positive class} line for a binary classifier only).
     */
    String report() {
        if (confusion == null) {
            return "";
        }
        int n = confusion.length;
        StringBuilder b = new StringBuilder("\n");
        int label = Math.max(5, String.valueOf(n - 1).length());
        int count = Math.max(7, String.valueOf(samples).length());
        b.append(pad("class", label, false)).append(pad("precision", 11, true)).append(pad("recall", 8, true))
                .append(pad("f1", 8, true)).append(pad("support", count + 2, true)).append('\n');
        for (int c = 0; c < n; c++) {
            b.append(pad(String.valueOf(c), label, false)).append(figures(precision(c), recall(c), f1(c)))
                    .append(pad(String.valueOf(actual(c)), count + 2, true)).append('\n');
        }
        if (!Double.isNaN(macroF1())) {
            b.append(pad("macro", label, false)).append(figures(macroPrecision(), macroRecall(), macroF1()))
                    .append(pad(String.valueOf(samples), count + 2, true)).append('\n');
        }
        if (binary) {
            b.append("positive class 1: precision ").append(NncProgress.fixed(precision(1), 4)).append("  recall ")
                    .append(NncProgress.fixed(recall(1), 4)).append("  f1 ").append(NncProgress.fixed(f1(1), 4)).append('\n');
        }
        b.append("\nconfusion (rows: true class, columns: predicted class)\n");
        int cell = String.valueOf(n - 1).length();
        for (int[] row : confusion) {
            for (int x : row) {
                cell = Math.max(cell, String.valueOf(x).length());
            }
        }
        b.append(pad("", label, false));
        for (int p = 0; p < n; p++) {
            b.append(pad(String.valueOf(p), cell + 2, true));
        }
        b.append('\n');
        for (int c = 0; c < n; c++) {
            b.append(pad(String.valueOf(c), label, false));
            for (int p = 0; p < n; p++) {
                b.append(pad(String.valueOf(confusion[c][p]), cell + 2, true));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String figures(double precision, double recall, double f1) {
        return pad(NncProgress.fixed(precision, 4), 11, true) + pad(NncProgress.fixed(recall, 4), 8, true)
                + pad(NncProgress.fixed(f1, 4), 8, true);
    }

    private static String pad(String text, int width, boolean right) {
        String space = " ".repeat(Math.max(0, width - text.length()));
        return right ? space + text : text + space;
    }

    /** {@code loss 0.3012, accuracy 0.8931, 10000 samples}. */
    @Override
    public String toString() {
        return "loss " + NncProgress.loss(loss) + (Double.isNaN(accuracy) ? "" : ", accuracy " + NncProgress.fixed(accuracy, 4)) + ", "
                + samples + (samples == 1 ? " sample" : " samples");
    }
}

package dev.nnc.spark;

import dev.nnc.runtime.Dataset;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The rows of one partition, as the executors keep them between training jobs: every row's index
 * in the whole data set (file order), its inputs and its targets (a label, or a dense row).
 * <pre>
 *   rows 0, 1, 5 of a data set -> Block{index [0, 1, 5], inputs 3 x 2, labels [1, 0, 1]}
 * </pre>
 */
final class Block implements Serializable {

    private static final long serialVersionUID = 1L;

    final int[] index;
    final double[][] inputs;
    /** One label per row (a class index), or null when {@link #targets} holds dense rows. */
    final int[] labels;
    final double[][] targets;

    Block(int[] index, double[][] inputs, int[] labels, double[][] targets) {
        this.index = index;
        this.inputs = inputs;
        this.labels = labels;
        this.targets = targets;
    }

    int size() {
        return index.length;
    }

    /**
     * The positions (into this block) of its rows whose place in the epoch's order ({@code rank},
     * by row index) is in {@code [from, to)}, sorted by that place.
     */
    int[] rowsAt(int[] rank, long from, long to) {
        int count = 0;
        int[] picked = new int[index.length];
        for (int r = 0; r < index.length; r++) {
            int at = rank[index[r]];
            if (at >= from && at < to) {
                picked[count++] = r;
            }
        }
        Integer[] sorted = new Integer[count];
        for (int i = 0; i < count; i++) {
            sorted[i] = picked[i];
        }
        Arrays.sort(sorted, (a, b) -> Integer.compare(rank[index[a]], rank[index[b]]));
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) {
            rows[i] = sorted[i];
        }
        return rows;
    }

    /** The rows {@code rows} (positions into this block) as a data set for the model. */
    Dataset dataset(int[] rows) {
        double[][] in = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            in[i] = inputs[rows[i]];
        }
        if (labels != null) {
            int[] l = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                l[i] = labels[rows[i]];
            }
            return Dataset.of(in, l);
        }
        double[][] t = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            t[i] = targets[rows[i]];
        }
        return Dataset.of(in, t);
    }
}

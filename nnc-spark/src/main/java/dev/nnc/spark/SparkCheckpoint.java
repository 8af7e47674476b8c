package dev.nnc.spark;

import dev.nnc.runtime.DataParallel;
import dev.nnc.runtime.Model;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;

/**
 * The last finished epoch of a Spark training run, on any Hadoop file system: the run's settings
 * that fix its steps (class, mode, batch, seed, shuffle), the epochs done and the whole training
 * state (parameters and optimizer state). The epoch's order of samples is recomputed from the seed,
 * so a resumed run takes the same batches as an uninterrupted one.
 * <pre>
 *   file:/tmp/run.ckpt  ->  "nnc-spark checkpoint 1", Xor, sync, batch 4, seed 1, shuffle true, 3 epochs, state
 * </pre>
 */
final class SparkCheckpoint {

    private static final String MAGIC = "nnc-spark checkpoint 1";

    private final String path;
    private final Configuration conf;

    SparkCheckpoint(String path, Configuration conf) {
        this.path = path;
        this.conf = conf;
    }

    /** Sets {@code model}'s state from the checkpoint and returns its epochs done; 0 and nothing changed when there is none. */
    int resume(Model model, SparkTraining.Plan plan) {
        if (!HadoopFiles.exists(path, conf)) {
            return 0;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(HadoopFiles.read(path, conf)))) {
            if (!in.readUTF().equals(MAGIC)) {
                throw new IllegalArgumentException("checkpoint " + path + " is not an nnc-spark checkpoint");
            }
            String run = in.readUTF();
            if (!run.equals(fingerprint(plan))) {
                throw new IllegalArgumentException("checkpoint " + path + " is of another run (" + run + "); this one is "
                        + fingerprint(plan));
            }
            int epochs = in.readInt();
            double[][] state = new double[in.readInt()][];
            for (int i = 0; i < state.length; i++) {
                state[i] = new double[in.readInt()];
                for (int j = 0; j < state[i].length; j++) {
                    state[i][j] = in.readDouble();
                }
            }
            DataParallel.setState(model, state);
            return epochs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + path, e);
        }
    }

    /** Writes {@code model}'s state after {@code epochs} finished epochs, replacing the last checkpoint. */
    void write(Model model, SparkTraining.Plan plan, int epochs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeUTF(fingerprint(plan));
            out.writeInt(epochs);
            double[][] state = DataParallel.state(model);
            out.writeInt(state.length);
            for (double[] s : state) {
                out.writeInt(s.length);
                for (double v : s) {
                    out.writeDouble(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + path, e);
        }
        HadoopFiles.write(path, bytes.toByteArray(), conf);
    }

    /** What must match for a checkpoint to continue a run (the epoch count may grow). */
    private static String fingerprint(SparkTraining.Plan plan) {
        return plan.className() + ", " + plan.mode() + ", batch " + plan.batch() + ", lr " + plan.lr() + ", seed " + plan.seed() + ", shuffle "
                + plan.shuffle() + (plan.mode().equals("average") ? ", averaging every " + plan.averagingFrequency() : "");
    }
}

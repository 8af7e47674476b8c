package dev.nnc.runtime;

/**
 * Checkpoint files: everything a run needs to go on exactly where it stopped.
 * <pre>
 *   "NNC-CHECKPOINT" 1                  magic and format version
 *   model name, dtype, per parameter its name and shape, per state buffer its length
 *   epochs done, samples done in the next epoch and the sum of their losses, the shuffle
 *     generator's state before that epoch's shuffle
 *   the history: per epoch its number and figures
 *   best epoch, its loss, and its state when early stopping keeps it
 *   the state: parameters, optimizer buffers, step count ({@link NncModel#state()}), as raw doubles
 *   CRC-32 of all the above
 * </pre>
 * Numbers are stored as their exact bits (an f32 value is exact as a double), so a resumed run
 * continues bit for bit. A file of another model, another layout or another version is refused.
 */
public final class NncCheckpoint {

    private static final String MAGIC = "NNC-CHECKPOINT";
    private static final int VERSION = 1;

    private NncCheckpoint() {}

    static void write(java.nio.file.Path file, NncModel model, NncTraining.Progress p) {
        double[][] state = model.state();
        NncFiles.replace(file, stream -> {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            java.io.DataOutputStream out = new java.io.DataOutputStream(new java.util.zip.CheckedOutputStream(stream, crc));
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            writeLayout(out, model, state);
            out.writeInt(p.epochs);
            out.writeInt(p.position);
            out.writeLong(Double.doubleToRawLongBits(p.partialSum));
            out.writeLong(p.random);
            out.writeInt(p.history.size());
            for (EpochStats e : p.history) {
                out.writeInt(e.epoch());
                for (double x : new double[] {e.loss(), e.validationLoss(), e.validationAccuracy(), e.seconds(), e.samplesPerSecond(),
                    e.testLoss, e.testAccuracy}) {
                    out.writeLong(Double.doubleToRawLongBits(x));
                }
            }
            out.writeInt(p.bestEpoch);
            out.writeLong(Double.doubleToRawLongBits(p.bestMetric));
            out.writeBoolean(p.bestState != null);
            if (p.bestState != null) {
                writeArrays(out, p.bestState);
            }
            writeArrays(out, state);
            out.flush();
            new java.io.DataOutputStream(stream).writeLong(crc.getValue());
        });
    }

    private static void writeLayout(java.io.DataOutputStream out, NncModel model, double[][] state) throws java.io.IOException {
        out.writeUTF(model.name());
        out.writeBoolean(model.f64());
        String[] names = model.paramNames();
        int[][] shapes = model.paramShapes();
        out.writeInt(names.length);
        for (int p = 0; p < names.length; p++) {
            out.writeUTF(names[p]);
            out.writeUTF(NncWeights.shapeText(shapes[p]));
        }
        out.writeInt(state.length);
        for (double[] a : state) {
            out.writeInt(a.length);
        }
    }

    private static void writeArrays(java.io.DataOutputStream out, double[][] arrays) throws java.io.IOException {
        for (double[] a : arrays) {
            for (double x : a) {
                out.writeLong(Double.doubleToRawLongBits(x));
            }
        }
    }

    /** Reads a checkpoint of {@code model}; a {@link NncSupport.DataError} says why one cannot be used. */
    static NncTraining.Progress read(java.nio.file.Path file, NncModel model, boolean wantBest) {
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw NncSupport.cannotRead(file.toString(), e);
        }
        String shown = "checkpoint " + file;
        if (bytes.length < 8) {
            throw new NncSupport.DataError(shown + " is not a checkpoint (it is too short)");
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        try {
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes, 0, bytes.length - 8));
            if (!MAGIC.equals(in.readUTF())) {
                throw new NncSupport.DataError(shown + " is not a checkpoint written by nnc");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new NncSupport.DataError(shown + " has format version " + version + "; this runtime reads version " + VERSION);
            }
            if (crc.getValue() != stored) {
                throw new NncSupport.DataError(shown + " is damaged (its checksum does not match)");
            }
            double[][] mine = model.state();
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            writeLayout(new java.io.DataOutputStream(expected), model, mine);
            byte[] layout = expected.toByteArray();
            byte[] found = in.readNBytes(layout.length);
            if (!java.util.Arrays.equals(layout, found)) {
                String name = new java.io.DataInputStream(new java.io.ByteArrayInputStream(found)).readUTF();
                throw new NncSupport.DataError(shown + " is of " + (name.equals(model.name()) ? "another version of model " + name
                        + " (other parameters or optimizer)" : "model " + name + ", not " + model.name()));
            }
            NncTraining.Progress s = new NncTraining.Progress();
            s.epochs = in.readInt();
            s.position = in.readInt();
            s.partialSum = Double.longBitsToDouble(in.readLong());
            s.random = in.readLong();
            int epochs = in.readInt();
            for (int k = 0; k < epochs; k++) {
                int epoch = in.readInt();
                double[] x = new double[7];
                for (int i = 0; i < x.length; i++) {
                    x[i] = Double.longBitsToDouble(in.readLong());
                }
                s.history.add(new EpochStats(epoch, x[0], x[1], x[2], x[3], x[4], x[5], x[6]));
            }
            s.bestEpoch = in.readInt();
            s.bestMetric = Double.longBitsToDouble(in.readLong());
            if (in.readBoolean()) {
                s.bestState = readArrays(in, mine);
            }
            s.state = readArrays(in, mine);
            if (in.read() >= 0) {
                throw new NncSupport.DataError(shown + " has bytes after its end");
            }
            if (wantBest && s.bestState == null && s.bestEpoch > 0 && s.bestEpoch != s.epochs) {
                throw new NncSupport.DataError(shown + " was written without early stopping, so it lacks the best weights to keep");
            }
            return s;
        } catch (java.io.EOFException e) {
            throw new NncSupport.DataError(shown + " ends too early");
        } catch (java.io.UTFDataFormatException e) {
            throw new NncSupport.DataError(shown + " is not a checkpoint written by nnc");
        } catch (java.io.IOException e) {
            throw NncSupport.cannotRead(file.toString(), e);
        }
    }

    private static double[][] readArrays(java.io.DataInputStream in, double[][] like) throws java.io.IOException {
        double[][] out = new double[like.length][];
        for (int k = 0; k < like.length; k++) {
            out[k] = new double[like[k].length];
            for (int i = 0; i < out[k].length; i++) {
                out[k][i] = Double.longBitsToDouble(in.readLong());
            }
        }
        return out;
    }
}

package dev.nnc.runtime;

/** IDX data files (MNIST's format): one image file and one label file. */
public final class NncIdx {

    private NncIdx() {}

    /**
     * MNIST's IDX files: {@code 0x00000803} images of unsigned bytes (count, rows, cols), scaled to
     * [0, 1], and {@code 0x00000801} labels; gzip or plain. Records count from 0 in messages.
     */
    static NncSupport.Dataset read(java.nio.file.Path images, java.nio.file.Path labels, NncSupport.Schema schema, boolean f64) {
        String shownImages = images.toString();
        String shownLabels = labels.toString();
        if (schema.count() != 2 || schema.inputs != 1 || !schema.onehot(1)) {
            throw new NncSupport.DataError("idx(" + shownImages + ", " + shownLabels
                    + ") needs a model with exactly one input and one onehot target");
        }
        java.io.InputStream img = NncSupport.open(images, shownImages);
        java.io.InputStream lab = null;
        try {
            lab = NncSupport.open(labels, shownLabels);
            int[] imageDims = idxHeader(img, shownImages, 0x00000803, "images", 3);
            int[] labelDims = idxHeader(lab, shownLabels, 0x00000801, "labels", 1);
            int count = imageDims[0];
            if (labelDims[0] != count) {
                throw new NncSupport.DataError(shownImages + " holds " + count + " images but " + shownLabels
                        + " holds " + labelDims[0] + " labels");
            }
            long pixels = (long) imageDims[1] * imageDims[2];
            if (pixels != schema.sizes[0]) {
                throw new NncSupport.DataError(shownImages + ": images are " + imageDims[1] + "x" + imageDims[2] + " = " + pixels
                        + " pixels, but input " + schema.names[0] + " has " + schema.sizes[0] + " elements");
            }
            if (count == 0) {
                throw new NncSupport.DataError(shownImages + ": the file holds no images");
            }
            if (count * pixels > Integer.MAX_VALUE - 8) {
                throw new NncSupport.DataError(shownImages + ": " + count + " images are too many to hold in one array");
            }
            // the pixels stay bytes (NncSupport.Dataset.u8): a quarter of the memory that floats would
            // take, and fresh memory is what a cold read spends its time on (Fashion-MNIST's training
            // images: 0.3 s as bytes against 0.85 s as floats)
            int[][] classes = new int[2][];
            classes[1] = new int[count];
            byte[][] bytes = new byte[2][];
            bytes[0] = new byte[count * (int) pixels];
            NncSupport.Dataset data = new NncSupport.Dataset(count, f64 ? null : new float[2][], f64 ? new double[2][] : null, classes, bytes);
            idxPixels(img, shownImages, (int) pixels, bytes[0]);
            idxLabels(lab, shownLabels, count, schema.classes[1], classes[1]);
            idxEnd(img, shownImages, count);
            idxEnd(lab, shownLabels, count);
            return data;
        } finally {
            NncSupport.closeQuietly(img);
            NncSupport.closeQuietly(lab);
        }
    }

    private static int[] idxHeader(java.io.InputStream in, String shown, int magic, String what, int dims) {
        int found = bigEndianInt(readHeader(in, shown, 4), 0);
        if (found != magic) {
            throw new NncSupport.DataError(shown + ": expected magic " + String.format("0x%08x", magic) + " (" + what
                    + "), found " + String.format("0x%08x", found));
        }
        byte[] head = readHeader(in, shown, 4 * dims);
        int[] sizes = new int[dims];
        for (int d = 0; d < dims; d++) {
            sizes[d] = bigEndianInt(head, 4 * d);
            if (sizes[d] < 0 || (d > 0 && sizes[d] == 0)) {
                throw new NncSupport.DataError(shown + ": dimension " + d + " has the impossible size " + Integer.toUnsignedString(sizes[d]));
            }
        }
        return sizes;
    }

    private static byte[] readHeader(java.io.InputStream in, String shown, int length) {
        byte[] head = new byte[length];
        try {
            if (in.readNBytes(head, 0, length) == length) {
                return head;
            }
        } catch (java.io.EOFException e) {
            // reported below
        } catch (java.io.IOException e) {
            throw NncSupport.cannotRead(shown, e);
        }
        throw new NncSupport.DataError(shown + ": the header is truncated");
    }

    private static int bigEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    /** Reads the records of {@code pixels} bytes each into {@code into}, whole records at a time (about 1 MB). */
    private static void idxPixels(java.io.InputStream in, String shown, int pixels, byte[] into) {
        int chunk = Math.max(1, (1 << 20) / pixels) * pixels;
        int got = 0;
        try {
            while (got < into.length) {
                int want = Math.min(chunk, into.length - got);
                int n = in.readNBytes(into, got, want);
                got += n;
                if (n != want) {
                    break;
                }
            }
        } catch (java.io.EOFException e) {
            // reported below, at the first record that did not arrive whole
        } catch (java.io.IOException e) {
            throw NncSupport.cannotRead(shown, e);
        }
        if (got != into.length) {
            throw new NncSupport.DataError(shown + ": record " + got / pixels + " is truncated");
        }
    }

    private static void idxLabels(java.io.InputStream in, String shown, int count, int classes, int[] labels) {
        byte[] bytes = new byte[count];
        int got = 0;
        try {
            while (got < count) {
                int n = in.read(bytes, got, count - got);
                if (n < 0) {
                    break;
                }
                got += n;
            }
        } catch (java.io.EOFException e) {
            // reported below, at the first label that did not arrive
        } catch (java.io.IOException e) {
            throw NncSupport.cannotRead(shown, e);
        }
        if (got != count) {
            throw new NncSupport.DataError(shown + ": record " + got + " is truncated");
        }
        for (int r = 0; r < count; r++) {
            int label = bytes[r] & 0xff;
            if (label >= classes) {
                throw new NncSupport.DataError(shown + ": record " + r + ": label " + label + " is out of range for onehot[" + classes + "]");
            }
            labels[r] = label;
        }
    }

    private static void idxEnd(java.io.InputStream in, String shown, int count) {
        try {
            if (in.read() != -1) {
                throw new NncSupport.DataError(shown + ": data continues after the last record (the header says " + count + ")");
            }
        } catch (java.io.IOException e) {
            throw NncSupport.cannotRead(shown, e);
        }
    }
}

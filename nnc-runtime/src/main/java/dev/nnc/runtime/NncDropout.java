package dev.nnc.runtime;

/**
 * The masks of {@code dropout(h, p)} (inverted dropout, as torch's {@code nn.Dropout}): in a training
 * step each element is kept with probability {@code 1 - p} and then scaled by {@code 1 / (1 - p)}, so
 * a mask element is {@code 1 / (1 - p)} or 0, and the model multiplies its value by it. A fresh mask
 * per sample per step, drawn in a fixed order (sample by sample, the model's masks in source order,
 * elements row-major) from {@code SplitMix64}: an element is kept when its uniform in [0, 1) is at
 * least {@code p}. The draws run on the training thread, so they do not depend on {@code --threads}.
 *
 * <p>Where the generator starts: the train block's {@code seed + 2} when a model is made, and the run's
 * seed + 2 when a training run starts ({@link NncTraining#run}); its state is part of the model's
 * {@link NncModel#state()} (two numbers, the halves of the 64-bit state, each exact as a double), so
 * a checkpoint resumes the same masks. When switched off ({@link #active(boolean)}, as gradcheck does),
 * every mask element is 1: the identity. Evaluation and prediction never read a mask.
 * Like {@link NncSupport}, this file is written without imports.
 */
public final class NncDropout {

    private long state;
    private boolean active = true;
    /** A test's keep decisions, taken in draw order before the generator's, or null. */
    private boolean[] script;
    private int scripted;

    public NncDropout(long seed) {
        this.state = seed;
    }

    /** Starts the masks' generator again from {@code seed}. */
    public void seed(long seed) {
        state = seed;
    }

    /** Whether training steps drop elements (true unless switched off); off, every mask is all ones. */
    public void active(boolean on) {
        active = on;
    }

    public boolean active() {
        return active;
    }

    /** The generator's state as two exact doubles (high and low 32 bits), for {@link NncModel#state()}. */
    public double[] state() {
        return new double[] {(double) (state >>> 32), (double) (state & 0xFFFFFFFFL)};
    }

    /** Restores what {@link #state()} gave. */
    public void setState(double[] values) {
        state = ((long) values[0] << 32) | ((long) values[1] & 0xFFFFFFFFL);
    }

    /**
     * Test hook (internal, not part of the API): the next {@code keeps.length} draws keep an element
     * where {@code keeps} says, instead of asking the generator (whose state they leave alone).
     */
    void script(boolean[] keeps) {
        script = keeps.clone();
        scripted = 0;
    }

    private boolean keep(double p) {
        if (script != null && scripted < script.length) {
            return script[scripted++];
        }
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53 >= p;
    }

    /** A fresh mask of {@code p} into {@code mask}: {@code scale} (which is {@code 1 / (1 - p)}) where kept, else 0. */
    public void fill(float[] mask, double p, float scale) {
        for (int i = 0; i < mask.length; i++) {
            mask[i] = !active ? 1f : keep(p) ? scale : 0f;
        }
    }

    /** As {@link #fill(float[], double, float)} in float64. */
    public void fill(double[] mask, double p, double scale) {
        for (int i = 0; i < mask.length; i++) {
            mask[i] = !active ? 1.0 : keep(p) ? scale : 0.0;
        }
    }

    /** One mask element, for a scalar value. */
    public float draw(double p, float scale) {
        return !active ? 1f : keep(p) ? scale : 0f;
    }

    /** As {@link #draw(double, float)} in float64. */
    public double draw(double p, double scale) {
        return !active ? 1.0 : keep(p) ? scale : 0.0;
    }
}

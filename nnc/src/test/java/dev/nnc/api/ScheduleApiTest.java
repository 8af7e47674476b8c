package dev.nnc.api;

import static dev.nnc.api.ModelApiTest.assertSameParams;
import static dev.nnc.api.ModelApiTest.blobs;
import static dev.nnc.api.ModelApiTest.create;
import static dev.nnc.api.ModelApiTest.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.DataParallel;
import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.LearningRateSchedule;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.TrainOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules and {@code clip_norm} through the Java API: {@link TrainOptions#fromModel()} takes them
 * from the train block, {@link TrainOptions#schedule} and {@link TrainOptions#clipNorm} replace them
 * with the same effect, each epoch of {@code fit} runs at its scheduled rate, a resumed run takes up
 * the rate it stopped at, and bad arguments are refused by name.
 */
class ScheduleApiTest {

    static final LearningRateSchedule SCHEDULE = LearningRateSchedule.warmup(2, LearningRateSchedule.cosine(4, 0.001));

    /** blobs (ModelApiTest) in f64, with a schedule and clip_norm in its train block (%s) or without. */
    static final String BLOCK = String.format(ModelApiTest.BLOBS, "dtype = f64\n%s");
    private static final Class<?> SCHEDULED = ModelApiTest.compile(String.format(BLOCK,
            "schedule = warmup(steps = 2, then = cosine(epochs = 4, min_lr = 0.001))\n        clip_norm = 0.5"), "Scheduled");
    private static final Class<?> PLAIN = ModelApiTest.compile(String.format(BLOCK, ""), "Plain");

    /** The learning rate of each epoch of a fit, as the model holds it when the epoch ends. */
    private static List<Double> rates(Model m, Dataset d, TrainOptions options) {
        List<Double> rates = new ArrayList<>();
        m.fit(d, options.onEpoch(e -> rates.add(DataParallel.learningRate(m))));
        return rates;
    }

    private static List<Double> list(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    @Test
    void theTrainBlocksScheduleAndClipNormAreFitsDefaults() {
        Dataset d = blobs(40, 5);
        Model scheduled = create(SCHEDULED, 3);
        List<Double> seen = rates(scheduled, d, TrainOptions.fromModel());
        assertEquals(list(SCHEDULE.rates(0.01, 6)), seen, "adam(lr = 0.01) under the block's warmup and cosine");
        assertEquals(0.01, DataParallel.learningRate(scheduled), 0.0, "fit leaves the model's own rate as it was");
        assertEquals(SCHEDULE, DataParallel.schedule(scheduled), "the block's schedule, for a data-parallel trainer");
        assertEquals(0.5, DataParallel.clipNorm(scheduled), 0.0);
        assertEquals(LearningRateSchedule.constant(), DataParallel.schedule(create(PLAIN)));
        assertEquals(0.0, DataParallel.clipNorm(create(PLAIN)), 0.0);

        // the same options given through the API to a model whose block has neither: the same weights
        Model plain = create(PLAIN, 3);
        plain.fit(d, TrainOptions.fromModel().schedule(SCHEDULE).clipNorm(0.5));
        assertSameParams(scheduled, plain, "schedule and clipNorm in TrainOptions equal the train block's");

        // and turned off: the plain model's run
        Model off = create(SCHEDULED, 3);
        off.fit(d, TrainOptions.fromModel().schedule(LearningRateSchedule.constant()).noClipNorm());
        Model plainDefault = create(PLAIN, 3);
        plainDefault.fit(d);
        assertSameParams(plainDefault, off, "constant() and noClipNorm() turn the block's off");
        assertFalse(Arrays.deepEquals(params(scheduled), params(off)), "the schedule and the clipping change the weights");
    }

    @Test
    void clippingAndTheScheduleEachChangeTheRun() {
        Dataset d = blobs(40, 6);
        Model clipped = create(PLAIN, 4);
        clipped.fit(d, TrainOptions.fromModel().clipNorm(0.05));
        Model loose = create(PLAIN, 4);
        loose.fit(d, TrainOptions.fromModel().clipNorm(1e6));
        Model none = create(PLAIN, 4);
        none.fit(d);
        assertSameParams(none, loose, "a norm never reached clips nothing");
        assertFalse(Arrays.deepEquals(params(none), params(clipped)), "clip_norm 0.05 clips");

        Model stepped = create(PLAIN, 4);
        List<Double> seen = rates(stepped, d, TrainOptions.fromModel().lr(0.1).schedule(LearningRateSchedule.step(2, 0.5)));
        assertEquals(List.of(0.1, 0.1, 0.05, 0.05, 0.025, 0.025), seen, "lr(0.1) is the base rate of the schedule");
    }

    @Test
    void anF32ModelIsScheduledAndClippedAsTheF64One() {
        String extra = "schedule = warmup(steps = 2, then = cosine(epochs = 4, min_lr = 0.001))\n        clip_norm = 0.05";
        Class<?> f32 = ModelApiTest.compile(String.format(ModelApiTest.BLOBS, extra), "Scheduled32");
        Class<?> f64 = ModelApiTest.compile(String.format(BLOCK, extra), "Scheduled64");
        Dataset d = blobs(40, 9);
        Model single = create(f32, 3);
        single.fit(d);
        Model dbl = create(f64, 3);
        dbl.fit(d);
        Model unclipped = create(f64, 3);
        unclipped.fit(d, TrainOptions.fromModel().noClipNorm());
        double[][] a = params(single);
        double[][] b = params(dbl);
        double[][] c = params(unclipped);
        double apart = 0;
        double clipped = 0;
        for (int p = 0; p < a.length; p++) {
            for (int i = 0; i < a[p].length; i++) {
                apart = Math.max(apart, Math.abs(a[p][i] - b[p][i]));
                clipped = Math.max(clipped, Math.abs(c[p][i] - b[p][i]));
            }
        }
        assertTrue(apart < 1e-4, "f32 and f64 end within float rounding: " + apart);
        assertTrue(clipped > 100 * apart, "clipping moves the weights far more than float rounding: " + clipped + " vs " + apart);
    }

    @Test
    void aRunInterruptedInsideAnEpochResumesAtItsRate(@TempDir Path dir) {
        Dataset d = blobs(60, 7);
        TrainOptions options = TrainOptions.fromModel().batch(7);
        Model whole = create(SCHEDULED, 2);
        List<Double> wholeRates = rates(whole, d, options);

        Path ckpt = dir.resolve("s.ckpt");
        Model stopped = create(SCHEDULED, 2);
        CancellationException e = assertThrows(CancellationException.class, () -> stopped.fit(d, options.checkpoint(ckpt).onEpoch(s -> {
            if (s.epoch() == 3) {
                Thread.currentThread().interrupt();
            }
        })));
        assertTrue(Thread.interrupted(), "the thread stays interrupted");
        assertTrue(e.getMessage().startsWith("fit was interrupted: stopped at epoch 4, step 1;"), e.getMessage());
        Model resumed = create(SCHEDULED, 9);
        List<Double> resumedRates = rates(resumed, d, options.checkpoint(ckpt));
        assertEquals(wholeRates.subList(3, 6), resumedRates, "epochs 4 to 6 at their scheduled rates");
        assertSameParams(whole, resumed, "resumed inside epoch 4, with the schedule and clipping");
    }

    @Test
    void aRunResumedAfterAnEpochGoesOnWithTheSchedule(@TempDir Path dir) {
        Dataset d = blobs(30, 8);
        Model whole = create(SCHEDULED, 6);
        whole.fit(d);
        Path ckpt = dir.resolve("e.ckpt");
        create(SCHEDULED, 6).fit(d, TrainOptions.fromModel().epochs(3).checkpoint(ckpt));
        Model resumed = create(SCHEDULED, 6);
        resumed.fit(d, TrainOptions.fromModel().checkpoint(ckpt));
        assertSameParams(whole, resumed, "3 epochs, then 3 more from the checkpoint");
    }

    @Test
    void badArgumentsAreRefusedByName() {
        assertMessage("maxNorm must be positive and finite, not 0.0", () -> TrainOptions.fromModel().clipNorm(0));
        assertMessage("maxNorm must be positive and finite, not -1.0", () -> TrainOptions.fromModel().clipNorm(-1));
        assertMessage("maxNorm must be positive and finite, not NaN", () -> TrainOptions.fromModel().clipNorm(Double.NaN));
        assertMessage("maxNorm must be positive and finite, not Infinity",
                () -> TrainOptions.fromModel().clipNorm(Double.POSITIVE_INFINITY));
        assertMessage("schedule must not be null (LearningRateSchedule.constant() is none)", () -> TrainOptions.fromModel().schedule(null));
        assertMessage("every must be at least 1 epoch, not 0", () -> LearningRateSchedule.step(0, 0.1));
        assertMessage("gamma must be above 0 and at most 1, not 0.0", () -> LearningRateSchedule.step(1, 0));
        assertMessage("gamma must be above 0 and at most 1, not 1.5", () -> LearningRateSchedule.step(1, 1.5));
        assertMessage("epochs must be at least 1, not 0", () -> LearningRateSchedule.cosine(0, 0));
        assertMessage("minLr must be at least 0 and finite, not -0.1", () -> LearningRateSchedule.cosine(3, -0.1));
        assertMessage("steps must be at least 1 epoch, not 0", () -> LearningRateSchedule.warmup(0));
        assertMessage("then must be step(...) or cosine(...), not another warmup",
                () -> LearningRateSchedule.warmup(2, LearningRateSchedule.warmup(1)));
        assertMessage("then must not be null (warmup(steps) is the base rate after the warmup)", () -> LearningRateSchedule.warmup(2, null));
        assertMessage("base must be positive and finite, not 0.0", () -> SCHEDULE.rates(0, 3));
        assertMessage("epoch must be at least 1, not 0", () -> SCHEDULE.rate(0.1, 0));
    }

    @Test
    void schedulesPrintAsTheTrainBlockSpellsThem() {
        assertEquals("warmup(steps = 2, then = cosine(epochs = 4, min_lr = 0.001))", SCHEDULE.toString());
        assertEquals("warmup(steps = 3)", LearningRateSchedule.warmup(3).toString());
        assertEquals("step(every = 10, gamma = 0.1)", LearningRateSchedule.step(10, 0.1).toString());
        assertEquals("constant", LearningRateSchedule.constant().toString());
        assertEquals(LearningRateSchedule.warmup(3), LearningRateSchedule.warmup(3, LearningRateSchedule.constant()), "equal values");
        assertEquals("TrainOptions{schedule=step(every = 2, gamma = 0.5), clipNorm=1.0}",
                TrainOptions.fromModel().schedule(LearningRateSchedule.step(2, 0.5)).clipNorm(1).toString());
        assertEquals("TrainOptions{clipNorm=none}", TrainOptions.fromModel().noClipNorm().toString());
        // the closed forms of the docs
        assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1, 1}, LearningRateSchedule.warmup(3).rates(1, 5), 1e-15);
        assertArrayEquals(new double[] {1, 0.5, 0, 0, 0}, LearningRateSchedule.cosine(2, 0).rates(1, 5), 1e-15);
    }

    private static void assertMessage(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}

package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The warm-up of the Vector API's kernels for a model too big for a copy ({@link NncWarmup.Kernels}):
 * it starts only when the model takes longer than its delay to be made, runs small products that
 * are never split over the pool's threads, stops after the round it is in, and waits for the kernels
 * only for a run that takes them. Rounds that never get warm ({@link #cold}) make a stop that did
 * not happen show: the warm-up would then run out of its time ({@link NncWarmup.Kernels#expired}).
 */
class KernelWarmupTest {

    /** A trainer of {@code VectorSwitchTest}'s model, with the Vector API's kernels or without. */
    private static NncModel trainer(boolean vector) {
        return VectorSwitchTest.fresh(vector ? VectorSwitchTest.VECTOR : VectorSwitchTest.PLAIN);
    }

    /** Waits (at most a minute: a loaded machine runs the first, interpreted rounds slowly) for a round. */
    private static void awaitRound(NncWarmup.Kernels kernels) throws InterruptedException {
        long until = System.nanoTime() + 60_000_000_000L;
        while (kernels.rounds() == 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertTrue(kernels.rounds() > 0, "the warm-up ran a round");
    }

    @Test
    void aRoundRunsItsProductsOnOneThreadAndCountsTheirWork() {
        java.util.function.DoubleSupplier round = NncGemmVector.warmUp(64);
        double first = round.getAsDouble();
        assertTrue(first > 0);
        assertEquals(first, round.getAsDouble(), "the same products every round");
        // rows: the batch's, at most 8, and two more (a scratch row); batch 1: 3 rows
        assertEquals(first, NncGemmVector.warmUp(1000).getAsDouble(), "10 rows for any batch of 8 or more");
        assertEquals(first * 3 / 10, NncGemmVector.warmUp(1).getAsDouble(), 1e-6 * first);
        long work = (long) (first / 6);
        assertFalse(NncPool.worthSplittingVectors(work, 10), "a round's product is never split over the pool's threads: " + work);
    }

    @Test
    void aWarmUpStoppedWithinItsDelayRunsNothing() throws InterruptedException {
        NncWarmup.Kernels kernels = NncWarmup.Kernels.start(KernelWarmupTest::cold);
        assertTrue(kernels != NncWarmup.Kernels.NONE, "the tests' JVM has the Vector API");
        kernels.stop();
        assertTrue(kernels.ended(10_000), "stopped, the thread ends");
        assertEquals(0, kernels.rounds());
        assertFalse(kernels.warm());
    }

    /** Rounds of 1 ms that do no work: never warm, so only a stop or {@link NncWarmup#MAX_MILLIS} ends them. */
    private static java.util.function.DoubleSupplier cold() {
        return () -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        };
    }

    @Test
    void theVectorApisKernelsRunInRounds() throws InterruptedException {
        NncWarmup.Kernels kernels = NncWarmup.Kernels.start(16); // NncGemmVector.warmUp, found by reflection
        awaitRound(kernels);
        kernels.stop();
        assertTrue(kernels.ended(60_000));
    }

    @Test
    void aStoppedWarmUpEndsAfterTheRoundItIsIn() throws InterruptedException {
        NncWarmup.Kernels kernels = NncWarmup.Kernels.start(KernelWarmupTest::cold);
        awaitRound(kernels);
        kernels.stop();
        assertTrue(kernels.ended(60_000));
        assertFalse(kernels.expired(), "it ended at the stop, not after its 3 s");
        assertFalse(kernels.warm());
        long rounds = kernels.rounds();
        Thread.sleep(20);
        assertEquals(rounds, kernels.rounds(), "no round after it ended");
    }

    @Test
    void unstoppedItEndsAfterItsTimeOrOnceWarm() throws InterruptedException {
        NncWarmup.Kernels cold = NncWarmup.Kernels.start(KernelWarmupTest::cold);
        assertTrue(cold.ended(60_000));
        assertTrue(cold.expired(), "never warm: it ran out of its 3 s");
        NncWarmup.Kernels hot = NncWarmup.Kernels.start(() -> () -> 1e18); // every round at a compiled rate
        assertTrue(hot.ended(60_000));
        assertTrue(hot.warm());
        assertEquals(NncWarmup.Kernels.WARM_ROUNDS, hot.rounds(), "warm after that many fast rounds in a row");
    }

    @Test
    void offThereIsNoWarmUp() {
        String before = System.getProperty("nnc.warmup");
        System.setProperty("nnc.warmup", "false");
        try {
            assertSame(NncWarmup.Kernels.NONE, NncWarmup.Kernels.start(16));
        } finally {
            if (before == null) {
                System.clearProperty("nnc.warmup");
            } else {
                System.setProperty("nnc.warmup", before);
            }
        }
        NncWarmup.Kernels.NONE.stop(); // nothing to stop or wait for
        NncWarmup.Kernels.NONE.finish(trainer(true), 5, 1_000_000_000L);
    }

    @Test
    void aRunOnThePlainKernelsStopsTheWarmUpAtOnce() throws InterruptedException {
        NncWarmup.Kernels kernels = NncWarmup.Kernels.start(KernelWarmupTest::cold);
        awaitRound(kernels);
        kernels.finish(trainer(false), 5, 1_000_000_000L); // a plain trainer
        assertTrue(kernels.ended(60_000));
        assertFalse(kernels.expired(), "stopped, not run out");
        NncWarmup.Kernels again = NncWarmup.Kernels.start(KernelWarmupTest::cold);
        awaitRound(again);
        again.finish(trainer(true), 1, 1); // a run too short for the Vector API's kernels
        assertTrue(again.ended(60_000));
        assertFalse(again.expired(), "stopped, not run out");
    }

    @Test
    void aRunOnTheVectorKernelsWaitsForThemItsBudgetAtMost() throws InterruptedException {
        NncWarmup.Kernels kernels = NncWarmup.Kernels.start(KernelWarmupTest::cold);
        awaitRound(kernels);
        long start = System.nanoTime();
        kernels.finish(trainer(true), 5, 1_000_000_000L);
        long waited = System.nanoTime() - start;
        assertTrue(waited >= NncWarmup.LOSS_NANOS, "never warm: it waited its whole budget, " + waited / 1_000_000 + " ms");
        assertTrue(kernels.ended(60_000));
        assertFalse(kernels.expired(), "then stopped it");
    }
}

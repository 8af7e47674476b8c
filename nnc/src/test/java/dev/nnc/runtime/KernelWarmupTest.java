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
 * only for a run that takes them.
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
        NncWarmup.Kernels kernels = NncWarmup.Kernels.start(16);
        assertTrue(kernels != NncWarmup.Kernels.NONE, "the tests' JVM has the Vector API");
        kernels.stop();
        assertTrue(kernels.ended(10_000), "stopped, the thread ends");
        assertEquals(0, kernels.rounds());
        assertFalse(kernels.warm());
    }

    @Test
    void aStartedWarmUpEndsAfterTheRoundItIsIn() throws InterruptedException {
        NncWarmup.Kernels kernels = NncWarmup.Kernels.start(16);
        awaitRound(kernels);
        kernels.stop();
        assertTrue(kernels.ended(60_000), "stopped, the thread ends after its round");
        long rounds = kernels.rounds();
        Thread.sleep(20);
        assertEquals(rounds, kernels.rounds(), "no round after it ended");
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
        NncWarmup.Kernels.NONE.stop(); // nothing to stop
        NncWarmup.Kernels.NONE.finish(trainer(false), 1, 1);
    }

    @Test
    void aRunOnThePlainKernelsStopsTheWarmUp() throws InterruptedException {
        NncWarmup.Kernels kernels = NncWarmup.Kernels.start(16);
        awaitRound(kernels);
        NncModel plain = trainer(false);
        kernels.finish(plain, 5, 1_000_000_000L);
        assertTrue(kernels.ended(60_000));
        NncModel vector = trainer(true);
        NncWarmup.Kernels again = NncWarmup.Kernels.start(16);
        awaitRound(again);
        again.finish(vector, 1, 1); // a run too short for the Vector API's kernels
        assertTrue(again.ended(60_000));
    }

    @Test
    void aRunOnTheVectorKernelsWaitsForThemAWhile() throws InterruptedException {
        NncModel vector = trainer(true);
        NncWarmup.Kernels kernels = NncWarmup.Kernels.start(16);
        awaitRound(kernels);
        long start = System.nanoTime();
        kernels.finish(vector, 5, 1_000_000_000L);
        long waited = System.nanoTime() - start;
        assertTrue(kernels.ended(60_000));
        // it waited until the kernels were warm, or its whole budget (or the warm-up had run out of time)
        assertTrue(kernels.warm() || kernels.expired() || waited >= NncWarmup.LOSS_NANOS,
                "warm " + kernels.warm() + " after " + waited / 1_000_000 + " ms");
    }
}

package dev.nnc.runtime;

/**
 * The threads the matrix products of a mini-batch may split over: how many a trainer runs with
 * ({@code --threads}, default 1).
 */
final class NncPool {

    private static int threads = 1;

    private NncPool() {}

    /** Sets the number of threads (at least 1) the products split over from now on. */
    static void setThreads(int n) {
        threads = Math.max(1, n);
    }

    static int threads() {
        return threads;
    }
}

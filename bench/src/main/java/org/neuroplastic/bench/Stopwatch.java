package org.neuroplastic.bench;

/** Training wall time: the sum of the intervals between each start and the stop that follows it. */
final class Stopwatch {
    private long total;
    private long started = -1;

    void start() {
        started = System.nanoTime();
    }

    void stop() {
        total += System.nanoTime() - started;
        started = -1;
    }

    double seconds() {
        return total / 1e9;
    }
}

package org.neuroplastic.jobs.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A uniform sample of {@code capacity} positions of a stream, kept by reservoir sampling (Vitter, "Random
 * sampling with a reservoir", ACM TOMS 1985, Algorithm R): the first {@code capacity} positions fill the
 * slots; position {@code i >= capacity} draws {@code j} uniformly from {@code [0, i]} and replaces slot
 * {@code j} when {@code j < capacity}. After {@code n} positions every one of them is held with probability
 * {@code min(1, capacity / n)}. The draws come from one generator seeded once, so the sample is a function of
 * the seed and the positions offered alone, whatever the order of the calls that offer them.
 */
final class Reservoir {

    private final long[] slots;
    private final SplittableRandom random;
    private long seen;

    Reservoir(int capacity, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a reservoir needs capacity >= 1, found " + capacity);
        }
        slots = new long[capacity];
        Arrays.fill(slots, -1);
        random = new SplittableRandom(seed);
    }

    /** Offers the next {@code count} positions of the stream, {@link #seen()} to {@code seen() + count - 1}. */
    void offer(long count) {
        for (long k = 0; k < count; k++) {
            long position = seen++;
            if (position < slots.length) {
                slots[(int) position] = position;
            } else {
                long j = random.nextLong(position + 1);
                if (j < slots.length) {
                    slots[(int) j] = position;
                }
            }
        }
    }

    /** Positions offered so far. */
    long seen() {
        return seen;
    }

    /** Slots holding a position: {@code min(capacity, seen)}. */
    int filled() {
        return (int) Math.min(slots.length, seen);
    }

    /** The position slot {@code slot} holds, or -1 while it is empty. */
    long position(int slot) {
        return slots[slot];
    }
}

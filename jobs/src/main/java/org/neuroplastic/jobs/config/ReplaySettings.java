package org.neuroplastic.jobs.config;

import java.io.Serializable;

/**
 * {@code training.replay}: experience replay for a task stream (Chaudhry et al., "On tiny episodic memories in
 * continual learning", 2019). One episodic memory of {@code bufferSize} examples, shared by every worker, holds a
 * uniform sample of the training examples of the tasks already trained (reservoir sampling, Vitter 1985,
 * Algorithm R); every minibatch of a later task is fitted with {@code perMinibatch} examples drawn from it
 * appended.
 *
 * @param bufferSize   examples the memory holds, in total (not per worker); 0: replay off
 * @param perMinibatch examples drawn from the memory, without replacement, into each minibatch a worker fits;
 *                     0: replay off
 */
public record ReplaySettings(int bufferSize, int perMinibatch) implements Serializable {

    public static final ReplaySettings OFF = new ReplaySettings(0, 0);

    public ReplaySettings {
        if (bufferSize < 0) {
            throw new IllegalArgumentException("training.replay.buffer_size must be >= 0 (0: off), found " + bufferSize);
        }
        if (perMinibatch < 0) {
            throw new IllegalArgumentException("training.replay.per_minibatch must be >= 0 (0: off), found "
                    + perMinibatch);
        }
        if ((bufferSize == 0) != (perMinibatch == 0)) {
            throw new IllegalArgumentException("training.replay.buffer_size and per_minibatch must both be >= 1 or "
                    + "both 0 (off), found buffer_size " + bufferSize + " and per_minibatch " + perMinibatch);
        }
        if (perMinibatch > bufferSize) {
            throw new IllegalArgumentException("training.replay.per_minibatch must be at most buffer_size "
                    + bufferSize + " (drawn without replacement), found " + perMinibatch);
        }
    }

    public boolean enabled() {
        return bufferSize > 0;
    }

    /** Reads {@code training.replay}; absent means off. */
    static ReplaySettings read(ConfigSection replay) {
        int bufferSize = replay.integer("buffer_size", 0);
        int perMinibatch = replay.integer("per_minibatch", 0);
        replay.rejectUnknownKeys();
        return new ReplaySettings(bufferSize, perMinibatch);
    }
}

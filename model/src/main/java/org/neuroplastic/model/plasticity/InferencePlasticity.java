package org.neuroplastic.model.plasticity;

/**
 * Whether a layer's plastic state keeps moving in inference passes (evaluation, online prediction), and
 * what undoes it. Training passes update the state whatever this says.
 *
 * @param enabled whether inference passes update the Hebbian trace, the activity average, the scaling
 *                factors and the thresholds, by the rules of a training pass; never a learned parameter,
 *                and never the mask (rewiring counts training steps)
 * @param reset   what happens to the state an inference pass changed; read only when enabled
 */
public record InferencePlasticity(boolean enabled, Reset reset) {

    /** When the state that inference passes changed is put back. */
    public enum Reset {
        /** Never: what inference changed stays, and training continues from it. */
        NEVER,
        /**
         * At each task boundary: inference batches move a copy of the state kept apart from training's,
         * taken at the task's first inference batch and carried to its next ones; training never sees it
         * (see {@code InferenceState}).
         */
        PER_TASK,
        /** After each inference batch: its passes adapt the state, which is then put back as it was. */
        PER_BATCH
    }

    public InferencePlasticity {
        SettingsValidation.present("at_inference.reset", reset, "never, per_task, per_batch");
    }

    /** The state is frozen at inference, as it always was. */
    public static InferencePlasticity off() {
        return new InferencePlasticity(false, Reset.NEVER);
    }

    /** Whether the state an inference batch changed is put back after the batch. */
    public boolean resetsPerBatch() {
        return enabled && reset == Reset.PER_BATCH;
    }

    /** Whether inference batches move a per-task copy of the state, apart from training's. */
    public boolean keepsPerTask() {
        return enabled && reset == Reset.PER_TASK;
    }
}

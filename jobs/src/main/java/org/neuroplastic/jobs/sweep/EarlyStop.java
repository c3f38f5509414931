package org.neuroplastic.jobs.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.neuroplastic.jobs.config.ConfigSection;

import java.util.ArrayList;
import java.util.List;

/**
 * Successive halving: after {@code min_epochs * reduction_factor^k} epochs (rung k, k < rungs) only the
 * best {@code 1 / reduction_factor} of the trials that reached the rung go on. {@link Kind#SYNCHRONOUS}
 * decides a rung once every trial has reached it ({@link SuccessiveHalving}); {@link Kind#ASHA} promotes a
 * trial as soon as it is in the best {@code 1 / reduction_factor} of those that have reached its rung so far
 * ({@link AsynchronousHalving}).
 */
public record EarlyStop(int rungs, int reductionFactor, int minEpochs, Kind kind) {

    /** The sweep file's key. */
    static final String KEY = "early_stop";

    public enum Kind { SYNCHRONOUS, ASHA }

    public EarlyStop {
        if (rungs < 1) {
            throw new IllegalArgumentException("rungs must be >= 1, found " + rungs);
        }
        if (reductionFactor < 2) {
            throw new IllegalArgumentException("reduction_factor must be >= 2, found " + reductionFactor);
        }
        if (minEpochs < 1) {
            throw new IllegalArgumentException("min_epochs must be >= 1, found " + minEpochs);
        }
        if (kind == null) {
            throw new IllegalArgumentException("kind must be synchronous or asha, found nothing");
        }
        // The last rung must be an epoch count a run can have; checked by multiplying, as rungs may be huge.
        long last = minEpochs;
        for (int k = 1; k < rungs; k++) {
            last *= reductionFactor;
            if (last > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("rungs must be at most " + k + " with min_epochs " + minEpochs
                        + " and reduction_factor " + reductionFactor + " (the last rung's epoch must be below 2^31), found "
                        + rungs);
            }
        }
    }

    /** Reads {@code early_stop:}; null when the sweep file has none. */
    static EarlyStop read(ConfigSection root, SweepConfig.Method method, SweepConfig.Mode mode) {
        if (!root.has(KEY)) {
            return null;
        }
        if (method == SweepConfig.Method.TPE) {
            // A halted trial's metric is from an earlier epoch than a finished one's, and the estimator would rank
            // the two together; with asha, trials end only when the sweep does, so no later setting could be drawn.
            throw root.error(KEY, "early_stop does not apply to method tpe (successive halving would compare stopped "
                    + "and finished trials' metrics); use method random or grid");
        }
        ConfigSection section = root.section(KEY);
        EarlyStop earlyStop = section.build(() -> new EarlyStop(section.integer("rungs"),
                section.integer("reduction_factor", 2), section.integer("min_epochs", 1),
                section.choice("kind", Kind.class, Kind.SYNCHRONOUS)));
        if (earlyStop.kind() == Kind.ASHA && mode != SweepConfig.Mode.PARALLEL) {
            throw section.error("kind", "early_stop.kind asha applies only to mode parallel (averaged trials run one "
                    + "after another, so nothing would run asynchronously); use kind synchronous");
        }
        return earlyStop;
    }

    /**
     * Gives a recorded sweep's {@code early_stop} the kind it ran with: sweeps recorded before {@code kind}
     * existed halved synchronously, and their folders must still resume.
     */
    static void recordedKind(ObjectNode recorded) {
        if (recorded.get(KEY) instanceof ObjectNode earlyStop && !earlyStop.has("kind")) {
            earlyStop.put("kind", "synchronous");
        }
    }

    /** The epochs (1-based counts) after which trials are compared, ascending. */
    public List<Integer> rungEpochs() {
        List<Integer> epochs = new ArrayList<>(rungs);
        long epoch = minEpochs;
        for (int k = 0; k < rungs; k++) {
            epochs.add((int) epoch);
            epoch *= reductionFactor;
        }
        return epochs;
    }

    /** How many of {@code reached} trials go on past a synchronous rung: at least one. */
    public int promoted(int reached) {
        return Math.max(1, reached / reductionFactor);
    }
}

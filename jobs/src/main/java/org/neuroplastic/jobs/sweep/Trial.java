package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.config.TrainConfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One trial of a sweep: a setting of the swept keys, one replica of it, and the train configuration
 * that results, already validated.
 *
 * @param trialId    {@code t0000}, {@code t0001}, ...: setting-major, replica-minor
 * @param setting    index of the setting (the combination of swept values)
 * @param replica    0-based; replica r adds r to the network seed and to the data seed of the setting
 * @param parameters swept key to its value as YAML (JSON) text, in the sweep file's order
 * @param seed       the network seed
 * @param dataSeed   the data seed ({@code data.seed} or {@code data.split_seed}); null when the data
 *                   source has none (separate test files)
 * @param config     the trial's train configuration
 */
public record Trial(String trialId, int setting, int replica, Map<String, String> parameters, long seed,
                    Long dataSeed, TrainConfig config) {

    public Trial {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    static String id(int index) {
        return String.format(Locale.ROOT, "t%04d", index);
    }

    /** The trial's epochs. */
    public int epochs() {
        return config.training().epochs();
    }
}

package org.neuroplastic.jobs.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The settings of a sweep: one value per swept key, in the order the trials are numbered. */
public final class TrialExpansion {

    private TrialExpansion() {
    }

    /** Every combination of the listed values; the last key varies fastest. */
    static List<Map<String, String>> grid(List<SweptParameter> parameters) {
        List<Map<String, String>> settings = new ArrayList<>();
        settings.add(new LinkedHashMap<>());
        for (SweptParameter parameter : parameters) {
            List<Map<String, String>> next = new ArrayList<>(settings.size() * parameter.values().size());
            for (Map<String, String> setting : settings) {
                for (String value : parameter.values()) {
                    Map<String, String> extended = new LinkedHashMap<>(setting);
                    extended.put(parameter.key(), value);
                    next.add(extended);
                }
            }
            settings = next;
        }
        return settings.stream().map(TrialExpansion::frozen).toList();
    }

    /**
     * {@code count} independent draws: a listed value uniformly, or a draw from the key's distribution.
     * The draws are a function of {@code seed} alone.
     */
    public static List<Map<String, String>> random(List<SweptParameter> parameters, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Map<String, String>> settings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, String> setting = new LinkedHashMap<>();
            for (SweptParameter parameter : parameters) {
                setting.put(parameter.key(), parameter.distribution() == null
                        ? parameter.values().get(random.nextInt(parameter.values().size()))
                        : parameter.distribution().sample(random));
            }
            settings.add(frozen(setting));
        }
        return settings;
    }

    /** How many settings a grid over {@code parameters} has, saturating at {@code Long.MAX_VALUE}. */
    static long gridSize(List<SweptParameter> parameters) {
        long size = 1;
        try {
            for (SweptParameter parameter : parameters) {
                size = Math.multiplyExact(size, parameter.values().size());
            }
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
        return size;
    }

    private static Map<String, String> frozen(Map<String, String> setting) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(setting));
    }
}

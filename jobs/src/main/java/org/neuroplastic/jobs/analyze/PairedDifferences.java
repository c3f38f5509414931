package org.neuroplastic.jobs.analyze;

import org.neuroplastic.jobs.config.InvalidInputException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every setting against the baseline setting it differs from only in the baseline's key, replica by replica:
 * the sweep gives replica r of every setting the same seeds, so a setting's run and the baseline's run with the
 * same seed share their initial weights, data order and split. Their differences (setting − baseline) are a
 * paired sample, whose t interval is narrower than that of two independent means when the seed explains part of
 * the spread (Student's paired t interval; e.g. Montgomery, Design and Analysis of Experiments, chapter 2, "the paired
 * comparison problem").
 */
final class PairedDifferences {

    /**
     * One metric of one setting against its baseline.
     *
     * @param setting    the setting's description
     * @param baseline   the baseline setting's description
     * @param metric     the metric, as in {@link SweepSettings#METRICS}
     * @param unpaired   replicas of either setting with the metric but no replica of the other with the same seed
     * @param difference mean, sd and 95% interval of the per-seed differences setting − baseline; n = the pairs
     */
    record Comparison(String setting, String baseline, String metric, int unpaired, MeanInterval difference) {
    }

    private PairedDifferences() {
    }

    /**
     * The comparisons of every setting that has a baseline setting, in setting then metric order; metrics without
     * a single pair are left out.
     *
     * @throws InvalidInputException when no trial has the baseline's value, naming the values the key takes
     */
    static List<Comparison> of(SweepSettings sweep, Baseline baseline) {
        checkMatches(sweep, baseline);
        List<SweepSettings.Setting> baselines = new ArrayList<>();
        List<SweepSettings.Setting> others = new ArrayList<>();
        for (SweepSettings.Setting setting : sweep.settings()) {
            boolean isBaseline = baseline.matches(setting.replicas().get(0).valueOf(baseline.key()).orElse(null));
            (isBaseline ? baselines : others).add(setting);
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (SweepSettings.Setting setting : others) {
            Map<String, String> rest = without(setting.parameters(), baseline.key());
            Optional<SweepSettings.Setting> partner = baselines.stream()
                    .filter(b -> without(b.parameters(), baseline.key()).equals(rest)).findFirst();
            if (partner.isEmpty()) {
                continue;
            }
            for (String metric : SweepSettings.METRICS) {
                compare(setting, partner.get(), metric).ifPresent(comparisons::add);
            }
        }
        return comparisons;
    }

    private static void checkMatches(SweepSettings sweep, Baseline baseline) {
        boolean matched = sweep.trials().stream().anyMatch(t -> baseline.matches(t.valueOf(baseline.key()).orElse(null)));
        if (matched) {
            return;
        }
        TreeSet<String> values = sweep.trials().stream().map(t -> t.valueOf(baseline.key()))
                .flatMap(Optional::stream).collect(Collectors.toCollection(TreeSet::new));
        if (values.isEmpty()) {
            throw new InvalidInputException("--baseline " + baseline + " matches no trial: " + baseline.key()
                    + " is neither a swept key " + sweep.sweptKeys() + " nor set in the runs' configuration");
        }
        throw new InvalidInputException("--baseline " + baseline + " matches no trial: " + baseline.key()
                + " takes the values " + String.join(", ", values));
    }

    /** Pairs the two settings' replicas by seed; the first replica of a seed (by trial id) stands for it. */
    static Optional<Comparison> compare(SweepSettings.Setting setting, SweepSettings.Setting baseline, String metric) {
        Map<Long, Double> values = bySeed(setting, metric);
        Map<Long, Double> baselineValues = bySeed(baseline, metric);
        List<Double> differences = new ArrayList<>();
        for (Map.Entry<Long, Double> replica : values.entrySet()) {
            Double partner = baselineValues.get(replica.getKey());
            if (partner != null) {
                differences.add(replica.getValue() - partner);
            }
        }
        if (differences.isEmpty()) {
            return Optional.empty();
        }
        int unpaired = withMetric(setting, metric) + withMetric(baseline, metric) - 2 * differences.size();
        return Optional.of(new Comparison(setting.description(), baseline.description(), metric, unpaired,
                MeanInterval.of(differences.stream().mapToDouble(Double::doubleValue).toArray())));
    }

    private static Map<Long, Double> bySeed(SweepSettings.Setting setting, String metric) {
        Map<Long, Double> values = new TreeMap<>();
        for (SweepSettings.Replica replica : setting.replicas()) {
            Double value = replica.metrics().get(metric);
            if (replica.seed() != null && value != null) {
                values.putIfAbsent(replica.seed(), value);
            }
        }
        return values;
    }

    private static int withMetric(SweepSettings.Setting setting, String metric) {
        return (int) setting.replicas().stream().map(r -> r.metrics().get(metric)).filter(Objects::nonNull).count();
    }

    private static Map<String, String> without(Map<String, String> parameters, String key) {
        Map<String, String> rest = new HashMap<>(parameters);
        rest.remove(key);
        return rest;
    }
}

package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.results.RunStatus;
import org.neuroplastic.jobs.sweep.TreeParzenEstimator.Observation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * {@code method: tpe}'s settings, drawn while the sweep runs. Setting s's first trial is trial
 * i = s * replicas, and setting s is drawn from the observations of the settings whose trials are all among
 * trials 0 .. i - lag, once all of those have ended; lag is {@code parallelism} in parallel mode and 1 in
 * averaged mode. A slot that frees early therefore waits for a straggler rather than drawing from
 * whatever has ended, so the trials are a function of the sweep file and seed alone, whatever the
 * executors and their timing (Optuna and Hyperopt draw from whatever has finished, which makes a parallel
 * study irreproducible). With {@code parallelism} trials in flight, trial i - lag has ended by the time
 * a slot frees for trial i in all but straggler cases, so little is lost by waiting.
 *
 * <p>The first {@code tpe.startup_trials} settings are the ones {@code method: random} draws with the same
 * seed, known before the sweep runs. A setting's observation is the mean of its replicas' {@code best_metric}
 * (the value the sweep ranks trials by), negated when the metric is maximised. A setting with a diverged
 * replica is observed as the worst value among the observations the draw sees (its hyperparameters made
 * training blow up, which the estimator should learn to avoid; left out when nothing else is observed); a
 * setting with a failed replica, or one without a metric, is left out, as Optuna and Hyperopt leave out
 * failed trials: a failure (an executor lost, data that would not load) says nothing about the setting.
 */
final class TpeSettings {

    /** What draws setting {@code setting} from the observations it may see: the estimator, or a test's stand-in. */
    @FunctionalInterface
    interface Sampler {
        Map<String, String> suggest(int setting, List<Observation> observations);
    }

    /** How one trial ended. */
    private record Outcome(RunStatus status, Double metric) {
    }

    private final SweepConfig config;
    private final int lag;
    private final Sampler sampler;
    private final Map<Integer, List<Trial>> settings = new HashMap<>();
    private final Map<Integer, Outcome> ended = new HashMap<>();
    private final Map<Integer, Map<String, String>> recorded = new HashMap<>();

    /** @param kept trials that finished in an earlier attempt of the sweep, from its trials table */
    TpeSettings(SweepConfig config, List<TrialRecord> kept) {
        this(config, kept, new TreeParzenEstimator(config.parameters(), config.startupTrials(), config.seed())::suggest);
    }

    TpeSettings(SweepConfig config, List<TrialRecord> kept, Sampler sampler) {
        if (config.method() != SweepConfig.Method.TPE) {
            throw new IllegalArgumentException("method must be tpe, found " + config.method());
        }
        this.config = config;
        this.lag = config.mode() == SweepConfig.Mode.PARALLEL ? config.parallelism() : 1;
        this.sampler = sampler;
        for (TrialRecord r : kept) {
            int index = r.setting() * config.replicas() + r.replica();
            ended.put(index, new Outcome(r.status(), r.bestMetric()));
            recorded.putIfAbsent(r.setting(), r.parameters());
        }
    }

    /** How many settings the sweep has before setting {@code setting} is drawn, it sees (the first ones). */
    static int visibleSettings(int setting, int replicas, int lag) {
        return Math.max(0, Math.floorDiv(setting * replicas - lag + 1, replicas));
    }

    /** All trials of the sweep, drawn or not. */
    int trialCount() {
        return config.count() * config.replicas();
    }

    /** Whether trial {@code index} has ended (in this attempt or an earlier one). */
    boolean ended(int index) {
        return ended.containsKey(index);
    }

    /**
     * Trial {@code index}, its setting drawn now if need be; null while a trial its setting is drawn from
     * has not ended.
     */
    Trial trial(int index) {
        int s = index / config.replicas();
        List<Trial> trials = settings.get(s);
        if (trials == null) {
            trials = draw(s);
            if (trials == null) {
                return null;
            }
            settings.put(s, trials);
        }
        return trials.get(index % config.replicas());
    }

    /**
     * Records how trial {@code trial} ended; {@code metric} is its {@code best_metric} as the trials table has it.
     */
    void ended(Trial trial, RunStatus status, Double metric) {
        ended.put(trial.setting() * config.replicas() + trial.replica(), new Outcome(status, metric));
    }

    private List<Trial> draw(int s) {
        int startup = Math.min(config.count(), config.startupTrials());
        if (s < startup) {
            return config.trials().subList(s * config.replicas(), (s + 1) * config.replicas());
        }
        Map<String, String> setting = recorded.get(s);
        if (setting == null) {
            List<Observation> observations = observations(s);
            if (observations == null) {
                return null;
            }
            setting = sampler.suggest(s, observations);
        }
        return config.trialFactory().trials(s, setting);
    }

    /** What setting {@code s} is drawn from, in setting order; null while one of its trials has not ended. */
    List<Observation> observations(int s) {
        int visible = visibleSettings(s, config.replicas(), lag);
        List<Map<String, String>> observed = new ArrayList<>();
        // The value to minimise, or null for a setting that diverged, whose value is the worst one seen.
        List<Double> values = new ArrayList<>();
        for (int t = 0; t < visible; t++) {
            double sum = 0;
            boolean failed = false;
            boolean diverged = false;
            for (int r = 0; r < config.replicas(); r++) {
                Outcome outcome = ended.get(t * config.replicas() + r);
                if (outcome == null) {
                    return null;
                }
                if (outcome.status() == RunStatus.DIVERGED) {
                    diverged = true;
                } else if (outcome.status() != RunStatus.COMPLETED || outcome.metric() == null
                        || !Double.isFinite(outcome.metric())) {
                    failed = true;
                } else {
                    sum += outcome.metric();
                }
            }
            if (diverged || !failed) {
                double mean = sum / config.replicas();
                observed.add(settings.containsKey(t) ? settings.get(t).get(0).parameters() : recorded.get(t));
                values.add(diverged ? null : config.metric().goal() == Metric.Goal.MINIMIZE ? mean : -mean);
            }
        }
        OptionalDouble worst = values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).max();
        List<Observation> observations = new ArrayList<>(observed.size());
        for (int k = 0; k < observed.size(); k++) {
            if (values.get(k) != null) {
                observations.add(new Observation(observed.get(k), values.get(k)));
            } else if (worst.isPresent()) {
                observations.add(new Observation(observed.get(k), worst.getAsDouble()));
            }
        }
        return observations;
    }
}

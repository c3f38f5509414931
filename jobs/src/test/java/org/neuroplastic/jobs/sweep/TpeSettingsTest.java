package org.neuroplastic.jobs.sweep;

import org.junit.jupiter.api.Test;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.results.RunStatus;
import org.neuroplastic.jobs.sweep.TreeParzenEstimator.Observation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code method: tpe}: its keys, and which finished trials each drawn setting sees. */
class TpeSettingsTest {

    private static final String ETA = "network.hidden.0.plasticity.hebbian.eta";
    private static final String RATE = "network.updater.learning_rate";
    private static final String PARAMETERS = """
            parameters:
              network.hidden.0.plasticity.hebbian.eta: {distribution: log_uniform, min: 0.0001, max: 0.1}
              network.updater.learning_rate: {distribution: uniform, min: 0.001, max: 0.05}
              network.hidden.0.activation: {values: [relu, tanh]}
            """;

    private static SweepConfig tpe(String rest) {
        return SweepFiles.sweep("method: tpe\nseed: 7\n" + PARAMETERS + rest);
    }

    @Test
    void tpeIsReadWithItsStartupTrialsAndExpandsOnlyTheStartupSettings() {
        SweepConfig sweep = tpe("count: 6\nreplicas: 2\nparallelism: 2\ntpe: {startup_trials: 3}\n");
        assertThat(sweep.method()).isEqualTo(SweepConfig.Method.TPE);
        assertThat(sweep.startupTrials()).isEqualTo(3);
        assertThat(sweep.trials()).extracting(Trial::trialId).containsExactly("t0000", "t0001", "t0002", "t0003",
                "t0004", "t0005");
        assertThat(sweep.trialIds()).hasSize(12).endsWith("t0011");
        assertThat(sweep.effectiveYaml()).contains("startup_trials: 3");

        SweepConfig averaged = tpe("count: 4\nmode: averaged\n");
        assertThat(averaged.startupTrials()).isEqualTo(TreeParzenEstimator.DEFAULT_STARTUP_TRIALS);
        assertThat(averaged.trials()).hasSize(4);
        assertThat(averaged.parallelism()).isNull();
    }

    @Test
    void startupSettingsAreTheOnesMethodRandomDrawsWithTheSameSeed() {
        SweepConfig tpe = tpe("count: 12\nparallelism: 2\ntpe: {startup_trials: 5}\n");
        SweepConfig random = SweepFiles.sweep("method: random\nseed: 7\ncount: 5\n" + PARAMETERS);
        assertThat(tpe.trials()).extracting(Trial::parameters)
                .isEqualTo(random.trials().stream().map(Trial::parameters).toList());
    }

    @Test
    void invalidTpeSweepsGetOneLineNamingTheKey() {
        assertInvalid("count: 4\nparallelism: 2\ntpe: {startup_trials: 0}\n",
                "sweep.yaml: tpe.startup_trials must be >= 1, found 0");
        assertInvalid("count: 4\nparallelism: 2\ntpe: {startup: 3}\n", "sweep.yaml: unknown key tpe.startup");
        assertInvalid("parallelism: 2\n", "sweep.yaml: count is required");
        assertInvalid("count: 4\n", "sweep.yaml: parallelism must be an integer with method tpe in mode parallel");
        assertInvalid("count: 4\nparallelism: slots\n",
                "sweep.yaml: parallelism must be an integer with method tpe in mode parallel");
        assertInvalid("count: 4\nmode: averaged\nparallelism: 2\n", "sweep.yaml: parallelism applies only to mode parallel");
        assertInvalid("count: 4\nparallelism: 2\nearly_stop: {rungs: 1}\n",
                "sweep.yaml: early_stop does not apply to method tpe");
        assertThatThrownBy(() -> SweepFiles.sweep("method: random\ncount: 2\ntpe: {startup_trials: 1}\n" + PARAMETERS))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("sweep.yaml: tpe applies only to method tpe, found method random");
    }

    /** A value the start-up draws happened to miss would otherwise fail only when the estimator suggests it. */
    @Test
    void aRangeReachingAnInvalidValueIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> SweepFiles.sweep("""
                method: tpe
                count: 4
                parallelism: 1
                tpe: {startup_trials: 1}
                parameters:
                  network.hidden.0.plasticity.structural.density: {distribution: uniform, min: 0.1, max: 1.0001}
                """))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("sweep.yaml: a setting method tpe may suggest "
                        + "(network.hidden.0.plasticity.structural.density=1.0001) is invalid: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aSettingSeesTheSettingsWhoseTrialsAreAllAtLeastLagTrialsBeforeIt() {
        // One replica: trial i sees trials 0 .. i - lag.
        assertThat(TpeSettings.visibleSettings(5, 1, 2)).isEqualTo(4);
        assertThat(TpeSettings.visibleSettings(1, 1, 2)).isZero();
        // Two replicas, lag 3: setting 3 starts at trial 6 and sees trials 0 .. 3, settings 0 and 1.
        assertThat(TpeSettings.visibleSettings(3, 2, 3)).isEqualTo(2);
        // Lag 4: trials 0 .. 2 only, so setting 0 alone (setting 1's trial 3 is too late).
        assertThat(TpeSettings.visibleSettings(3, 2, 4)).isEqualTo(1);
        assertThat(TpeSettings.visibleSettings(2, 3, 1)).isEqualTo(2);
    }

    /**
     * Trials end in an order of their own (here shuffled by a seed, standing for executors of differing
     * speed); each drawn setting must still have been handed exactly the observations of trials
     * 0 .. i - parallelism, and so the same settings come out whatever the order.
     */
    @Test
    void eachSuggestionGetsExactlyTheTrialsUpToParallelismBeforeItWhateverTheOrderTheyEnd() {
        SweepConfig sweep = tpe("count: 9\nparallelism: 3\ntpe: {startup_trials: 2}\n");
        Map<Integer, List<Observation>> seen = new HashMap<>();
        List<Map<String, String>> first = simulate(sweep, new SplittableRandom(1), seen);
        for (int s = 2; s < 9; s++) {
            List<Double> expected = new ArrayList<>();
            for (int t = 0; t <= s - 3; t++) {
                expected.add(value(first.get(t)));
            }
            assertThat(seen.get(s)).as("setting %d", s).extracting(Observation::value).containsExactlyElementsOf(expected);
            assertThat(seen.get(s)).extracting(Observation::setting).containsExactlyElementsOf(first.subList(0, Math.max(0, s - 2)));
        }
        assertThat(seen).doesNotContainKeys(0, 1);
        for (long order = 2; order < 6; order++) {
            assertThat(simulate(sweep, new SplittableRandom(order), new HashMap<>())).isEqualTo(first);
        }
    }

    @Test
    void aDivergedSettingIsObservedAsTheWorstAndAFailedOneIsLeftOut() {
        SweepConfig sweep = tpe("count: 6\nreplicas: 2\nparallelism: 1\ntpe: {startup_trials: 4}\n");
        Map<Integer, List<Observation>> seen = new HashMap<>();
        TpeSettings settings = new TpeSettings(sweep, List.of(), (s, observations) -> {
            seen.put(s, observations);
            return sweep.trials().get(0).parameters();
        });
        RunStatus[] statuses = {RunStatus.COMPLETED, RunStatus.COMPLETED, RunStatus.COMPLETED, RunStatus.DIVERGED, RunStatus.FAILED,
                RunStatus.COMPLETED, RunStatus.COMPLETED, RunStatus.COMPLETED};
        double[] metrics = {1, 3, 0.5, 0.7, 9, 9, 4, 6};
        for (int i = 0; i < 8; i++) {
            settings.ended(settings.trial(i), statuses[i], metrics[i]);
        }
        assertThat(settings.trial(8)).isNotNull();
        // Settings 0 (mean 2), 1 (diverged: the worst, 5), 2 (failed: left out), 3 (mean 5).
        assertThat(seen.get(4)).extracting(Observation::value).containsExactly(2.0, 5.0, 5.0);
        assertThat(seen.get(4)).extracting(Observation::setting).containsExactly(sweep.trials().get(0).parameters(),
                sweep.trials().get(2).parameters(), sweep.trials().get(6).parameters());
    }

    @Test
    void aMaximisedMetricIsNegated() {
        SweepConfig sweep = SweepFiles.sweep("method: tpe\ncount: 3\nparallelism: 1\n"
                + "metric: {name: test_loss, goal: maximize}\ntpe: {startup_trials: 2}\n" + PARAMETERS);
        Map<Integer, List<Observation>> seen = new HashMap<>();
        TpeSettings settings = new TpeSettings(sweep, List.of(), (s, observations) -> {
            seen.put(s, observations);
            return sweep.trials().get(0).parameters();
        });
        settings.ended(settings.trial(0), RunStatus.COMPLETED, 0.25);
        settings.ended(settings.trial(1), RunStatus.COMPLETED, 0.75);
        settings.trial(2);
        assertThat(seen.get(2)).extracting(Observation::value).containsExactly(-0.25, -0.75);
    }

    /**
     * Runs the sweep's trials {@code parallelism} at a time, ending a random one of those in flight each
     * step, with the real estimator behind a recorder; returns each setting in setting order.
     */
    private static List<Map<String, String>> simulate(SweepConfig sweep, SplittableRandom order,
                                                      Map<Integer, List<Observation>> seen) {
        TreeParzenEstimator estimator = new TreeParzenEstimator(sweep.parameters(), sweep.startupTrials(), sweep.seed());
        TpeSettings settings = new TpeSettings(sweep, List.of(), (s, observations) -> {
            seen.put(s, List.copyOf(observations));
            return estimator.suggest(s, observations);
        });
        List<Map<String, String>> drawn = new ArrayList<>();
        TreeSet<Integer> inFlight = new TreeSet<>();
        Map<Integer, Trial> trials = new LinkedHashMap<>();
        int next = 0;
        while (next < settings.trialCount() || !inFlight.isEmpty()) {
            while (next < settings.trialCount() && inFlight.size() < sweep.parallelism()) {
                Trial trial = settings.trial(next);
                if (trial == null) {
                    break;
                }
                drawn.add(trial.parameters());
                trials.put(next, trial);
                inFlight.add(next++);
            }
            Integer ends = new ArrayList<>(inFlight).get(order.nextInt(inFlight.size()));
            inFlight.remove(ends);
            settings.ended(trials.get(ends), RunStatus.COMPLETED, value(trials.get(ends).parameters()));
        }
        return drawn;
    }

    /** A stand-in metric of a setting. */
    private static double value(Map<String, String> setting) {
        return Math.abs(Math.log10(Double.parseDouble(setting.get(ETA))) + 2) + Double.parseDouble(setting.get(RATE));
    }

    private static void assertInvalid(String rest, String messageStart) {
        assertThatThrownBy(() -> tpe(rest))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(messageStart)
                .hasMessageNotContaining("\n");
    }
}

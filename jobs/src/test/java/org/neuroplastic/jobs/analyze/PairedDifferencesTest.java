package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;
import org.neuroplastic.jobs.config.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Settings paired with the baseline by seed, without Spark: the trials are built by hand. */
class PairedDifferencesTest {

    private static final double EPS = 1e-4;
    private static final String CONFIGURATION = "network: {variant: %s}\ntraining: {epochs: 4}\n";

    /**
     * <pre>
     * variant  eta   seed: final_test_loss
     * dense    0.1   1: 4   2: 4   (seed 3 missing)
     * plastic  0.1   1: 5   2: 6   3: 9
     * plastic  0.2   1: 1          (no dense setting with eta 0.2)
     * sparse   0.1   2: 7          (plus a failed trial, seed 1, not measured)
     * </pre>
     */
    private static SweepSettings sweep() {
        List<SweepSettings.Replica> trials = new ArrayList<>();
        trials.add(trial("t0", "dense", "0.1", 1L, 4.0, true));
        trials.add(trial("t1", "dense", "0.1", 2L, 4.0, true));
        trials.add(trial("t2", "plastic", "0.1", 1L, 5.0, true));
        trials.add(trial("t3", "plastic", "0.1", 2L, 6.0, true));
        trials.add(trial("t4", "plastic", "0.1", 3L, 9.0, true));
        trials.add(trial("t5", "plastic", "0.2", 1L, 1.0, true));
        trials.add(trial("t6", "sparse", "0.1", 1L, 100.0, false));
        trials.add(trial("t7", "sparse", "0.1", 2L, 7.0, true));
        return SweepSettings.of(trials);
    }

    private static SweepSettings.Replica trial(String id, String variant, String eta, Long seed, double finalLoss, boolean ok) {
        Map<String, String> swept = new TreeMap<>(Map.of("network.variant", variant, "plasticity.eta", eta));
        return new SweepSettings.Replica(id, "run-" + id, seed, swept, CONFIGURATION.formatted(variant), ok,
                Map.of("final_test_loss", finalLoss));
    }

    @Test
    void settingsAreTheTrialsWithTheSameSweptValues() {
        SweepSettings sweep = sweep();
        assertThat(sweep.settings()).extracting(SweepSettings.Setting::description).containsExactly(
                "network.variant=dense, plasticity.eta=0.1", "network.variant=plastic, plasticity.eta=0.1",
                "network.variant=plastic, plasticity.eta=0.2", "network.variant=sparse, plasticity.eta=0.1");
        assertThat(sweep.settings().get(3).replicas()).as("the failed replica is not measured").hasSize(1);
        assertThat(sweep.sweptKeys()).containsExactly("network.variant", "plasticity.eta");
    }

    @Test
    void pairsBySeedAndDropsASeedTheBaselineLacks() {
        List<PairedDifferences.Comparison> comparisons = PairedDifferences.of(sweep(), Baseline.parse("network.variant=dense"));
        // plastic eta 0.2 has no dense partner with eta 0.2: not compared.
        assertThat(comparisons).extracting(PairedDifferences.Comparison::setting).containsExactly(
                "network.variant=plastic, plasticity.eta=0.1", "network.variant=sparse, plasticity.eta=0.1");
        PairedDifferences.Comparison plastic = comparisons.get(0);
        assertThat(plastic.baseline()).isEqualTo("network.variant=dense, plasticity.eta=0.1");
        assertThat(plastic.metric()).isEqualTo("final_test_loss");
        // seed 1: 5 - 4 = 1, seed 2: 6 - 4 = 2, seed 3 unpaired. Mean 1.5, sd = sqrt(0.25 + 0.25) = 0.7071;
        // t(0.975, 1) = 12.7062, half width 12.7062 * 0.7071 / sqrt(2) = 6.3531.
        assertThat(plastic.difference().n()).isEqualTo(2);
        assertThat(plastic.unpaired()).isEqualTo(1);
        assertThat(plastic.difference().mean()).isCloseTo(1.5, within(1e-12));
        assertThat(plastic.difference().sd()).isCloseTo(0.7071, within(EPS));
        assertThat(plastic.difference().ciLow()).isCloseTo(1.5 - 6.3531, within(EPS));
        assertThat(plastic.difference().ciHigh()).isCloseTo(1.5 + 6.3531, within(EPS));
        // sparse: only seed 2 measured, 7 - 4 = 3; one pair has no spread. Dense seed 1 is unpaired.
        PairedDifferences.Comparison sparse = comparisons.get(1);
        assertThat(sparse.difference().n()).isEqualTo(1);
        assertThat(sparse.difference().mean()).isEqualTo(3.0);
        assertThat(sparse.difference().sd()).isNull();
        assertThat(sparse.difference().ciLow()).isNull();
        assertThat(sparse.unpaired()).isEqualTo(1);
    }

    @Test
    void eitherDenseBaselineIsPairedWithItsOwnTrialsOnly() {
        SweepSettings sweep = SweepSettings.of(List.of(
                trial("t0", "plastic", "0.1", 1L, 5.0, true), trial("t1", "plastic", "0.1", 2L, 6.0, true),
                trial("t2", "dense", "0.1", 1L, 4.0, true), trial("t3", "dense", "0.1", 2L, 4.0, true),
                trial("t4", "dense_matched", "0.1", 1L, 3.0, true), trial("t5", "dense_matched", "0.1", 2L, 2.0, true)));

        // Against dense: plastic 5 - 4, 6 - 4 (mean 1.5); dense_matched 3 - 4, 2 - 4 (mean -1.5).
        assertThat(PairedDifferences.of(sweep, Baseline.parse("network.variant=dense")))
                .extracting(c -> c.setting() + ": " + c.difference().mean()).containsExactly(
                        "network.variant=dense_matched, plasticity.eta=0.1: -1.5",
                        "network.variant=plastic, plasticity.eta=0.1: 1.5");
        // Against dense_matched: dense 4 - 3, 4 - 2 (mean 1.5); plastic 5 - 3, 6 - 2 (mean 3).
        assertThat(PairedDifferences.of(sweep, Baseline.parse("network.variant=dense_matched")))
                .extracting(c -> c.setting() + ": " + c.difference().mean()).containsExactly(
                        "network.variant=dense, plasticity.eta=0.1: 1.5",
                        "network.variant=plastic, plasticity.eta=0.1: 3.0");
    }

    @Test
    void aBaselineMatchingNoTrialNamesTheValuesThatExist() {
        assertThatThrownBy(() -> PairedDifferences.of(sweep(), Baseline.parse("network.variant=resnet")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--baseline network.variant=resnet matches no trial: network.variant takes the values dense, plastic, sparse");
        // A key of the base configuration is read from the runs' configuration.
        assertThatThrownBy(() -> PairedDifferences.of(sweep(), Baseline.parse("training.epochs=3")))
                .hasMessage("--baseline training.epochs=3 matches no trial: training.epochs takes the values 4");
        assertThatThrownBy(() -> PairedDifferences.of(sweep(), Baseline.parse("training.rounds=3")))
                .hasMessage("--baseline training.rounds=3 matches no trial: training.rounds is neither a swept key "
                        + "[network.variant, plasticity.eta] nor set in the runs' configuration");
    }

    @Test
    void aBaselineOfTheBaseConfigurationLeavesNothingToCompare() {
        // Every trial trained 4 epochs: every setting is a baseline setting, none is compared.
        assertThat(PairedDifferences.of(sweep(), Baseline.parse("training.epochs=4"))).isEmpty();
    }
}

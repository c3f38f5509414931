package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A continual study's statistics on hand-made runs, worked out by hand; t quantiles from a printed table:
 * t(0.975, 1) = 12.7062, t(0.975, 2) = 4.3027.
 *
 * <pre>
 * group          replica  average_accuracy  average_forgetting
 * plastic-ewc    0        0.80              0.10
 * plastic-ewc    1        0.84              0.20
 * plastic-ewc    2        0.88              (none: joint-like run)
 * dense-ewc      0, 1, 2  0.70, 0.78, 0.80  (none)
 * plastic-naive  0, 1     0.50, 0.60        (none)
 * </pre>
 */
class GroupStatisticsTest {

    private static final double EPS = 1e-4;
    private static final String ACC = "average_accuracy";
    private static final String F = "average_forgetting";
    private static final List<String> MEASURES = List.of(ACC, F);

    private static final List<GroupStatistics.Measured> RUNS = List.of(
            new GroupStatistics.Measured("plastic-ewc", 0, Map.of(ACC, 0.80, F, 0.10)),
            new GroupStatistics.Measured("plastic-ewc", 1, Map.of(ACC, 0.84, F, 0.20)),
            new GroupStatistics.Measured("plastic-ewc", 2, Map.of(ACC, 0.88)),
            new GroupStatistics.Measured("dense-ewc", 0, Map.of(ACC, 0.70)),
            new GroupStatistics.Measured("dense-ewc", 1, Map.of(ACC, 0.78)),
            new GroupStatistics.Measured("dense-ewc", 2, Map.of(ACC, 0.80)),
            new GroupStatistics.Measured("plastic-naive", 0, Map.of(ACC, 0.50)),
            new GroupStatistics.Measured("plastic-naive", 1, Map.of(ACC, 0.60)));

    @Test
    void summariesGiveEachGroupsMeanAndStudentTIntervalOverTheReplicasWithTheMeasure() {
        List<GroupStatistics.Summary> summaries = GroupStatistics.summaries(RUNS, MEASURES);
        assertThat(summaries.stream().map(s -> s.group() + " " + s.measure()).toList()).containsExactly(
                "plastic-ewc average_accuracy", "plastic-ewc average_forgetting", "dense-ewc average_accuracy",
                "plastic-naive average_accuracy");
        // 0.80, 0.84, 0.88: mean 0.84, sd 0.04, half width 4.3027 * 0.04 / sqrt(3) = 0.099366.
        MeanInterval accuracy = summaries.get(0).value();
        assertThat(accuracy.n()).isEqualTo(3);
        assertThat(accuracy.mean()).isCloseTo(0.84, within(1e-12));
        assertThat(accuracy.sd()).isCloseTo(0.04, within(1e-12));
        assertThat(accuracy.ciLow()).isCloseTo(0.740634, within(EPS));
        assertThat(accuracy.ciHigh()).isCloseTo(0.939366, within(EPS));
        // 0.10, 0.20: mean 0.15, sd 0.070711, half width 12.7062 * 0.05 = 0.63531.
        MeanInterval forgetting = summaries.get(1).value();
        assertThat(forgetting.n()).as("replica 2 has no forgetting").isEqualTo(2);
        assertThat(forgetting.mean()).isCloseTo(0.15, within(1e-12));
        assertThat(forgetting.ciLow()).isCloseTo(-0.48531, within(EPS));
        assertThat(forgetting.ciHigh()).isCloseTo(0.78531, within(EPS));
    }

    @Test
    void differencesPairEachComparisonByReplica() {
        List<GroupStatistics.Difference> differences = GroupStatistics.differences(RUNS, List.of(
                new StudyGroups.Comparison("plastic-ewc", "dense-ewc"),
                new StudyGroups.Comparison("plastic-ewc", "plastic-naive")), MEASURES);
        assertThat(differences.stream().map(d -> d.group() + " - " + d.baseline() + " " + d.measure()).toList())
                .as("forgetting: no baseline replica has it").containsExactly(
                        "plastic-ewc - dense-ewc average_accuracy", "plastic-ewc - plastic-naive average_accuracy");
        // Plastic − dense: 0.10, 0.06, 0.08; mean 0.08, sd 0.02, half width 4.3027 * 0.02 / sqrt(3) = 0.049683.
        GroupStatistics.Difference variant = differences.get(0);
        assertThat(variant.unpaired()).isZero();
        assertThat(variant.value().n()).isEqualTo(3);
        assertThat(variant.value().mean()).isCloseTo(0.08, within(1e-12));
        assertThat(variant.value().sd()).isCloseTo(0.02, within(1e-12));
        assertThat(variant.value().ciLow()).isCloseTo(0.030317, within(EPS));
        assertThat(variant.value().ciHigh()).isCloseTo(0.129683, within(EPS));
        // EWC − naive: replicas 0 and 1, 0.30 and 0.24; mean 0.27, half width 12.7062 * 0.03 = 0.381186.
        GroupStatistics.Difference method = differences.get(1);
        assertThat(method.unpaired()).as("plastic-ewc's replica 2").isEqualTo(1);
        assertThat(method.value().n()).isEqualTo(2);
        assertThat(method.value().mean()).isCloseTo(0.27, within(1e-12));
        assertThat(method.value().ciLow()).isCloseTo(-0.111186, within(EPS));
        assertThat(method.value().ciHigh()).isCloseTo(0.651186, within(EPS));
    }
}

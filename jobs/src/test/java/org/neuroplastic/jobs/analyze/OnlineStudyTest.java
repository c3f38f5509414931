package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The study's statistics on hand-made streams of 20 tasks (blocks of 2), worked out by hand; t quantiles from a
 * printed table: t(0.975, 1) = 12.7062, t(0.975, 2) = 4.3027.
 *
 * <pre>
 * run    group  replica  tasks 0, 1   tasks 18, 19   first  last  drop   dead fraction read        effective rank read
 * s0     sgd    0        0.6, 0.4     0.3, 0.2       0.5    0.25  0.25   task 5: 0.1, task 12: 0.3  none
 * s1     sgd    1        0.7, 0.5     0.3, 0.3       0.6    0.3   0.3    task 19: 0.5              task 19: 40
 * c0     cbp    0        0.5, 0.5     0.5, 0.4       0.5    0.45  0.05   none                      none
 * c1     cbp    1        0.6, 0.6     0.6, 0.5       0.6    0.55  0.05   none                      none
 * c2     cbp    2        0.4, 0.4     0.4, 0.4       0.4    0.4   0      none                      none
 * </pre>
 * Tasks 2 to 17 read 0.45 in every run.
 */
class OnlineStudyTest {

    private static final double EPS = 1e-4;
    private static final int TASKS = 20;

    private static final List<OnlineStudy.Run> RUNS = List.of(
            run("s0", "sgd", 0, 0.6, 0.4, 0.3, 0.2, Map.of(5, 0.1, 12, 0.3), Map.of()),
            run("s1", "sgd", 1, 0.7, 0.5, 0.3, 0.3, Map.of(19, 0.5), Map.of(19, 40.0)),
            run("c0", "cbp", 0, 0.5, 0.5, 0.5, 0.4, Map.of(), Map.of()),
            run("c1", "cbp", 1, 0.6, 0.6, 0.6, 0.5, Map.of(), Map.of()),
            run("c2", "cbp", 2, 0.4, 0.4, 0.4, 0.4, Map.of(), Map.of()));

    private static OnlineStudy.Run run(String id, String group, int replica, double t0, double t1, double t18, double t19,
                                       Map<Integer, Double> dead, Map<Integer, Double> rank) {
        List<Double> accuracy = new ArrayList<>(Collections.nCopies(TASKS, 0.45));
        accuracy.set(0, t0);
        accuracy.set(1, t1);
        accuracy.set(18, t18);
        accuracy.set(19, t19);
        List<Double> deadFraction = new ArrayList<>(Collections.nCopies(TASKS, (Double) null));
        dead.forEach(deadFraction::set);
        List<Double> effectiveRank = new ArrayList<>(Collections.nCopies(TASKS, (Double) null));
        rank.forEach(effectiveRank::set);
        return new OnlineStudy.Run(id, group, replica, accuracy, deadFraction, effectiveRank);
    }

    @Test
    void blocksAreATenthOfTheStreamAndAtLeastOneTask() {
        assertThat(OnlineStudy.blockTasks(20)).isEqualTo(2);
        assertThat(OnlineStudy.blockTasks(100)).isEqualTo(10);
        assertThat(OnlineStudy.blockTasks(45)).isEqualTo(4);
        assertThat(OnlineStudy.blockTasks(9)).isEqualTo(1);
        assertThat(OnlineStudy.blockTasks(1)).isEqualTo(1);
    }

    @Test
    void aRunsMeasuresAreItsFirstAndLastBlockAndItsLastReadings() {
        Map<String, Double> s0 = OnlineStudy.measures(RUNS.get(0));
        assertThat(s0.get(OnlineStudy.FIRST_BLOCK)).isCloseTo(0.5, within(1e-12));
        assertThat(s0.get(OnlineStudy.LAST_BLOCK)).isCloseTo(0.25, within(1e-12));
        assertThat(s0.get(OnlineStudy.DROP)).isCloseTo(0.25, within(1e-12));
        assertThat(s0.get(OnlineStudy.FINAL_DEAD)).as("task 12's reading, the last one").isEqualTo(0.3);
        assertThat(s0).as("no effective rank read").doesNotContainKey(OnlineStudy.FINAL_RANK);
    }

    @Test
    void summariesAreMeansWithStudentTIntervalsOverReplicas() {
        List<GroupStatistics.Summary> summaries = OnlineStudy.summaries(RUNS);
        assertThat(summaries.stream().map(s -> s.group() + " " + s.measure()).toList()).containsExactly(
                "sgd first_block_accuracy", "sgd last_block_accuracy", "sgd accuracy_drop", "sgd final_dead_fraction",
                "sgd final_effective_rank", "cbp first_block_accuracy", "cbp last_block_accuracy", "cbp accuracy_drop");
        // sgd last block 0.25, 0.3: mean 0.275, sd sqrt(2 * 0.025^2) = 0.035355, half width 12.7062 * 0.025 = 0.317655.
        MeanInterval sgdLast = find(summaries, "sgd", OnlineStudy.LAST_BLOCK);
        assertThat(sgdLast.n()).isEqualTo(2);
        assertThat(sgdLast.mean()).isCloseTo(0.275, within(1e-12));
        assertThat(sgdLast.sd()).isCloseTo(0.035355, within(EPS));
        assertThat(sgdLast.ciLow()).isCloseTo(0.275 - 0.317655, within(EPS));
        assertThat(sgdLast.ciHigh()).isCloseTo(0.275 + 0.317655, within(EPS));
        // cbp last block 0.45, 0.55, 0.4: mean 0.466667; squares 0.000278 + 0.006944 + 0.004444 = 0.011667,
        // sd sqrt(0.011667 / 2) = 0.076376, half width 4.3027 * 0.076376 / sqrt(3) = 0.189732.
        MeanInterval cbpLast = find(summaries, "cbp", OnlineStudy.LAST_BLOCK);
        assertThat(cbpLast.mean()).isCloseTo(0.466667, within(EPS));
        assertThat(cbpLast.sd()).isCloseTo(0.076376, within(EPS));
        assertThat(cbpLast.ciHigh() - cbpLast.mean()).isCloseTo(0.189732, within(EPS));
        assertThat(find(summaries, "sgd", OnlineStudy.FINAL_DEAD).mean()).as("0.3 and 0.5").isCloseTo(0.4, within(1e-12));
        MeanInterval rank = find(summaries, "sgd", OnlineStudy.FINAL_RANK);
        assertThat(rank.n()).as("one replica read a rank").isEqualTo(1);
        assertThat(rank.mean()).isEqualTo(40.0);
        assertThat(rank.ciLow()).isNull();
    }

    @Test
    void differencesPairRunsByReplicaAgainstTheBaseline() {
        List<GroupStatistics.Difference> differences = OnlineStudy.differences(RUNS,
                List.of(new StudyGroups.Comparison("cbp", "sgd")));
        assertThat(differences.stream().map(d -> d.group() + " " + d.measure()).toList()).as("no pair reads diagnostics")
                .containsExactly("cbp first_block_accuracy", "cbp last_block_accuracy", "cbp accuracy_drop");
        // Last block cbp − sgd: replica 0 0.45 − 0.25 = 0.2, replica 1 0.55 − 0.3 = 0.25; mean 0.225, half width 0.317655.
        GroupStatistics.Difference last = differences.get(1);
        assertThat(last.baseline()).isEqualTo("sgd");
        assertThat(last.value().n()).isEqualTo(2);
        assertThat(last.unpaired()).as("cbp's replica 2").isEqualTo(1);
        assertThat(last.value().mean()).isCloseTo(0.225, within(1e-12));
        assertThat(last.value().ciLow()).isCloseTo(0.225 - 0.317655, within(EPS));
        // Drop: 0.05 − 0.25 = −0.2 and 0.05 − 0.3 = −0.25.
        assertThat(differences.get(2).value().mean()).isCloseTo(-0.225, within(1e-12));
    }

    @Test
    void taskStatisticsSummariseEachTaskOverTheReplicasThatReadIt() {
        List<OnlineStudy.TaskStatistic> statistics = OnlineStudy.taskStatistics(RUNS);
        OnlineStudy.TaskStatistic first = statistics.get(0);
        assertThat(List.of(first.group(), first.series(), first.task())).containsExactly("sgd", "online_accuracy", 0);
        assertThat(first.value().mean()).as("0.6 and 0.7").isCloseTo(0.65, within(1e-12));
        assertThat(statistics.stream().filter(s -> s.group().equals("sgd") && s.series().equals("dead_fraction"))
                .map(s -> s.task() + ":" + s.value().n() + ":" + s.value().mean()).toList())
                .containsExactly("5:1:0.1", "12:1:0.3", "19:1:0.5");
        assertThat(statistics.stream().filter(s -> s.group().equals("cbp") && s.series().equals("online_accuracy")))
                .hasSize(TASKS).allSatisfy(s -> assertThat(s.value().n()).isEqualTo(3));
        assertThat(statistics.stream().filter(s -> s.group().equals("cbp") && !s.series().equals("online_accuracy"))).isEmpty();
    }

    private static MeanInterval find(List<GroupStatistics.Summary> summaries, String group, String measure) {
        return summaries.stream().filter(s -> s.group().equals(group) && s.measure().equals(measure)).findFirst()
                .orElseThrow().value();
    }
}

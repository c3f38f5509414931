package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;
import org.neuroplastic.jobs.config.InvalidInputException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The groups file of {@code analyze --groups}: members, baselines, and the comparisons they make. */
class StudyGroupsTest {

    @Test
    void theGroupsFileNamesEachRunsGroupAndReplicaInOrder() {
        StudyGroups groups = StudyGroups.parse("g.csv", "run_id,group,replica\nr1,sgd,0\n\nr2,cbp,0\nr3,sgd,1\n", Optional.of("sgd"));
        assertThat(groups.groups()).containsExactly("sgd", "cbp");
        assertThat(groups.members().get("r3")).isEqualTo(new StudyGroups.Member("sgd", 1));
        assertThat(groups.baseline()).contains("sgd");
        assertThat(groups.comparisons()).containsExactly(new StudyGroups.Comparison("cbp", "sgd"));
    }

    @Test
    void eachGroupIsComparedWithTheBaselinesItsLinesNameAndTheBaselineGroup() {
        String text = """
                run_id,group,replica,baselines
                p0,plastic-ewc,0,dense-ewc;plastic-naive
                d0,dense-ewc,0,dense-naive
                pn0,plastic-naive,0,dense-naive
                dn0,dense-naive,0,
                p1,plastic-ewc,1,dense-ewc;plastic-naive
                """;
        assertThat(StudyGroups.parse("g.csv", text, Optional.empty()).comparisons()).containsExactly(
                new StudyGroups.Comparison("plastic-ewc", "dense-ewc"),
                new StudyGroups.Comparison("plastic-ewc", "plastic-naive"),
                new StudyGroups.Comparison("dense-ewc", "dense-naive"),
                new StudyGroups.Comparison("plastic-naive", "dense-naive"));
        assertThat(StudyGroups.parse("g.csv", text, Optional.of("dense-naive")).comparisons())
                .as("--baseline-group first, each pair once").containsExactly(
                        new StudyGroups.Comparison("plastic-ewc", "dense-naive"),
                        new StudyGroups.Comparison("plastic-ewc", "dense-ewc"),
                        new StudyGroups.Comparison("plastic-ewc", "plastic-naive"),
                        new StudyGroups.Comparison("dense-ewc", "dense-naive"),
                        new StudyGroups.Comparison("plastic-naive", "dense-naive"));
    }

    @Test
    void aBadGroupsFileIsRefusedWithItsLine() {
        Map<String, String> bad = Map.of(
                "run,group,replica\nr1,sgd,0\n", "--groups g.csv: expected the header line run_id,group,replica or "
                        + "run_id,group,replica,baselines, found run,group,replica",
                "run_id,group,replica\n", "--groups g.csv: names no run; expected one line run_id,group,replica per run",
                "run_id,group,replica\nr1,sgd\n", "--groups g.csv line 2: expected run_id,group,replica (3 fields, the first "
                        + "two non-empty), found r1,sgd",
                "run_id,group,replica\nr1,sgd,-1\n", "--groups g.csv line 2: replica must be an integer >= 0, found -1",
                "run_id,group,replica\nr1,sgd,0\nr1,cbp,0\n", "--groups g.csv line 3: run r1 is named twice",
                "run_id,group,replica\nr1,sgd,0\nr2,sgd,0\n", "--groups g.csv line 3: group sgd has replica 0 twice (runs r1 and r2)",
                "run_id,group,replica,baselines\nr1,a,0,b\nr2,b,0,\nr3,a,1,\n", "--groups g.csv line 4: group a names "
                        + "baselines (none), an earlier line b; expected one list per group",
                "run_id,group,replica,baselines\nr1,a,0,c\n", "--groups g.csv: group a names baseline c, which is no group "
                        + "of the file; its groups are a",
                "run_id,group,replica,baselines\nr1,a,0,a\n", "--groups g.csv: group a names baseline a, which is itself");
        bad.forEach((text, message) -> assertThatThrownBy(() -> StudyGroups.parse("g.csv", text, Optional.empty()))
                .isInstanceOf(InvalidInputException.class).hasMessage(message));
        assertThatThrownBy(() -> StudyGroups.parse("g.csv", "run_id,group,replica\nr1,sgd,0\n", Optional.of("adam")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--baseline-group adam names no group of g.csv; its groups are sgd");
        assertThat(StudyGroups.parse("g.csv", "run_id,group,replica\nr1,sgd,0\n", Optional.empty()).comparisons())
                .as("no baseline, no comparison").isEqualTo(List.of());
    }
}

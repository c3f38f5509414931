package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the task boundaries of continual runs fall on a chart's axis. */
class TaskBoundariesTest {

    @Test
    void aBoundaryFallsHalfWayBetweenTheLastReadingOfATaskAndTheFirstOfTheNext() {
        // Three tasks of two epochs each: task t trains epochs 2t+1 and 2t+2.
        List<TaskBoundaries.Reading> readings = new ArrayList<>();
        for (int epoch = 1; epoch <= 6; epoch++) {
            readings.add(new TaskBoundaries.Reading("s", epoch, (epoch - 1) / 2));
        }
        assertThat(TaskBoundaries.of(readings)).containsExactly(2.5, 4.5);
    }

    @Test
    void stepsRecordedPerRoundPlaceTheBoundaryBetweenRounds() {
        // One run's rows, in any order.
        List<TaskBoundaries.Reading> readings = List.of(new TaskBoundaries.Reading("s", 40, 1),
                new TaskBoundaries.Reading("s", 10, 0), new TaskBoundaries.Reading("s", 20, 0),
                new TaskBoundaries.Reading("s", 30, 1), new TaskBoundaries.Reading("s", 60, 2), new TaskBoundaries.Reading("s", 50, 2));
        assertThat(TaskBoundaries.of(readings)).containsExactly(25.0, 45.0);
    }

    @Test
    void aRunOfOneTaskHasNoBoundary() {
        assertThat(TaskBoundaries.of(List.of(new TaskBoundaries.Reading("a", 1, 0), new TaskBoundaries.Reading("a", 2, 0)))).isEmpty();
        assertThat(TaskBoundaries.of(List.of())).isEmpty();
    }

    @Test
    void runsOfOneStreamShareTheirBoundaries() {
        List<TaskBoundaries.Reading> readings = List.of(
                new TaskBoundaries.Reading("a", 1, 0), new TaskBoundaries.Reading("a", 2, 1),
                new TaskBoundaries.Reading("b", 1, 0), new TaskBoundaries.Reading("b", 2, 1),
                new TaskBoundaries.Reading("single", 1, 0), new TaskBoundaries.Reading("single", 2, 0));
        assertThat(TaskBoundaries.of(readings, List.of("single", "b", "a")))
                .contains(new TaskBoundaries.Marks("b", List.of(1.5), true));
    }

    @Test
    void runsOfDifferentStreamsGetTheBestRankedRunsBoundariesNotShared() {
        List<TaskBoundaries.Reading> readings = List.of(
                new TaskBoundaries.Reading("a", 1, 0), new TaskBoundaries.Reading("a", 2, 1),
                new TaskBoundaries.Reading("c", 1, 0), new TaskBoundaries.Reading("c", 2, 0), new TaskBoundaries.Reading("c", 3, 1));
        assertThat(TaskBoundaries.of(readings, List.of("c", "a"))).contains(new TaskBoundaries.Marks("c", List.of(2.5), false));
    }

    @Test
    void noRunThatSwitchesTaskMeansNoMarks() {
        assertThat(TaskBoundaries.of(List.of(new TaskBoundaries.Reading("a", 1, 0)), List.of("a"))).isEmpty();
        // A run the chart does not draw is not looked at.
        assertThat(TaskBoundaries.of(List.of(new TaskBoundaries.Reading("x", 1, 0), new TaskBoundaries.Reading("x", 2, 1)),
                List.of("a"))).isEmpty();
    }
}

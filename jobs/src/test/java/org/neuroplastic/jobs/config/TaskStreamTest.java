package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskStreamTest {

    private static final String DIGITS = """
            data:
              format: csv
              path: ../data/digits.csv.gz
              task: classification
              classes: 10
            network:
              n_in: auto
              hidden:
                - size: 16
            training:
              epochs: 1
            """;

    private static TrainConfig read(String... sets) {
        return TrainConfig.read(ConfigDocument.parse("conf/c.yaml", DIGITS, List.of(sets)));
    }

    private static TaskStream stream(String... sets) {
        return ((DataSource.Streamed) read(sets).data()).stream();
    }

    @Test
    void aSourceWithoutStreamIsNotStreamed() {
        TrainConfig config = read();
        assertThat(config.data()).isInstanceOf(DataSource.Csv.class);
        assertThat(config.effectiveYaml()).doesNotContain("stream");
    }

    @Test
    void splitDefaultsToFiveClassIncrementalTasksOfTwoClasses() {
        TaskStream.Split split = (TaskStream.Split) stream("data.stream.kind=split");
        assertThat(split.tasks()).isEqualTo(5);
        assertThat(split.scenario()).isEqualTo(TaskStream.Scenario.CLASS_INCREMENTAL);
        assertThat(split.classesOf(0)).containsExactly(0, 1);
        assertThat(split.classesOf(4)).containsExactly(8, 9);
        assertThat(split.taskOf(7)).isEqualTo(3);
        assertThat(read("data.stream.kind=split").effectiveYaml())
                .contains("classes_per_task: 2").contains("scenario: class_incremental");
    }

    @Test
    void splitTakesTheTaskIncrementalScenarioAndOtherTaskSizes() {
        TaskStream.Split split = (TaskStream.Split) stream("data.stream.kind=split", "data.stream.classes_per_task=5",
                "data.stream.scenario=task_incremental");
        assertThat(split.tasks()).isEqualTo(2);
        assertThat(split.scenario()).isEqualTo(TaskStream.Scenario.TASK_INCREMENTAL);
        assertThat(split.classesOf(1)).containsExactly(5, 6, 7, 8, 9);
    }

    @Test
    void permutedIsDomainIncrementalWithItsTasksAndSeed() {
        TaskStream.Permuted permuted = (TaskStream.Permuted) stream("data.stream.kind=permuted", "data.stream.tasks=4",
                "data.stream.seed=7");
        assertThat(permuted).isEqualTo(TaskStream.Permuted.offline(4, 7));
        assertThat(permuted.scenario()).isEqualTo(TaskStream.Scenario.DOMAIN_INCREMENTAL);
    }

    @Test
    void rejectsAClassCountThatDoesNotDivideIntoTasks() {
        assertThatThrownBy(() -> read("data.stream.kind=split", "data.stream.classes_per_task=3"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("data.stream.classes_per_task must divide the 10 classes into at least 2 tasks, found 3")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> read("data.stream.kind=split", "data.stream.classes_per_task=10"))
                .hasMessageContaining("data.stream.classes_per_task must divide the 10 classes into at least 2 tasks, found 10");
    }

    @Test
    void rejectsScenariosTheStreamCannotHave() {
        assertThatThrownBy(() -> read("data.stream.kind=split", "data.stream.scenario=domain_incremental"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("data.stream.scenario must be class_incremental or task_incremental for a split "
                        + "stream (its tasks have different classes), found domain_incremental");
        assertThatThrownBy(() -> read("data.stream.kind=permuted", "data.stream.tasks=3",
                "data.stream.scenario=task_incremental"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("data.stream.scenario must be domain_incremental for a permuted stream (every task "
                        + "has the same classes), found task_incremental");
    }

    @Test
    void augmentationIsRefusedOnAPermutedStreamAndAcceptedOnASplitOne() {
        assertThatThrownBy(() -> read("data.stream.kind=permuted", "data.stream.tasks=3",
                "training.augmentation={image_width: 8, horizontal_flip: true}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--set training.augmentation={image_width: 8, horizontal_flip: true}: training.augmentation needs images, found a permuted task stream "
                        + "(data.stream.kind permuted)");
        assertThat(read("data.stream.kind=split", "training.augmentation={image_width: 8, horizontal_flip: true}")
                .training().augmentation().enabled()).isTrue();
    }

    @Test
    void rejectsASplitOfRegressionData() {
        assertThatThrownBy(() -> read("data.task=regression", "data.classes=null", "data.stream.kind=split"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("data.stream.kind split needs classification data, found regression");
    }

    @Test
    void rejectsMissingOrInvalidKeysOfTheStream() {
        assertThatThrownBy(() -> read("data.stream.kind=permuted"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("data.stream.tasks is required");
        assertThatThrownBy(() -> read("data.stream.kind=permuted", "data.stream.tasks=0"))
                .hasMessageContaining("data.stream.tasks must be >= 1, found 0");
        assertThatThrownBy(() -> read("data.stream.kind=rotated"))
                .hasMessageContaining("data.stream.kind must be one of permuted, split, found text 'rotated'");
        assertThatThrownBy(() -> read("data.stream.kind=split", "data.stream.tasks=5"))
                .hasMessageContaining("unknown key data.stream.tasks");
    }

    @Test
    void anOnlinePermutedStreamTakesItsExamplesPerTask() {
        TaskStream.Permuted online = (TaskStream.Permuted) stream("data.stream={kind: permuted, online: true, "
                + "tasks: 300, examples_per_task: 500, seed: 3}");
        assertThat(online).isEqualTo(new TaskStream.Permuted(300, 3, 500));
        assertThat(online.online()).isTrue();
        assertThat(stream("data.stream={kind: permuted, online: false, tasks: 3}").online()).isFalse();
        assertThat(read("data.stream={kind: permuted, tasks: 3}").effectiveYaml()).doesNotContain("online");
    }

    @Test
    void refusesOnlineSettingsThatCannotHoldInOneLine() {
        String online = "data.stream={kind: permuted, online: true, tasks: 3, examples_per_task: 100}";
        assertRefused(() -> read("data.stream={kind: permuted, tasks: 3, examples_per_task: 100}"),
                "data.stream.examples_per_task needs data.stream.online: true (an offline task is the whole data set)");
        assertRefused(() -> read("data.stream={kind: permuted, online: true, tasks: 3}"),
                "data.stream.examples_per_task is required");
        assertRefused(() -> read("data.stream={kind: permuted, online: true, tasks: 3, examples_per_task: 0}"),
                "data.stream.examples_per_task must be >= 1, found 0");
        assertRefused(() -> read("data.stream={kind: split, online: true}"),
                "data.stream.online needs kind permuted (an online task is a permutation of fresh examples), found split");
        assertRefused(() -> read("data.task=regression", "data.classes=null", online),
                "data.stream.online needs classification data (its measure is the online accuracy), found regression");
        assertRefused(() -> read(online, "training.epochs=2"),
                "training.epochs must be 1 with an online stream (data.stream.online: each example is seen once), found 2");
        assertRefused(() -> read(online, "training.averaging=stock"),
                "data.stream.online needs training.averaging resident (its workers predict each minibatch before fitting "
                        + "it), found stock");
        assertRefused(() -> read(online, "training.consolidation={method: ewc, lambda: 10}"),
                "training.consolidation.method ewc is not available with an online stream (data.stream.online: true), "
                        + "which has no task-end consolidation");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable reading, String message) {
        assertThatThrownBy(reading)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining("\n");
    }
}

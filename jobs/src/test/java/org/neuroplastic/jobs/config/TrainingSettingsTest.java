package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;
import org.neuroplastic.model.network.ShrinkAndPerturb;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingSettingsTest {

    /** Every setting away from its default, resident-only ones on, so that one dropped back to its default shows. */
    private static final TrainingSettings EVERY_SETTING_SET = new TrainingSettings(3, 16, 4, 6, false,
            TrainingSettings.Averaging.RESIDENT, true, ConsolidationSettings.elastic(ConsolidationSettings.Method.EWC, 250, 64),
            new AugmentationSettings(28, true, 2), 5, new ShrinkAndPerturb(0.9, 0.01, 3), new ReplaySettings(40, 4), 100, 2);

    /**
     * Every setting different from {@link #EVERY_SETTING_SET}'s: stock averaging, so those only the resident one
     * takes are off (and, for the trajectories, the diagnostics written into them).
     */
    private static final TrainingSettings EVERY_SETTING_OTHER = new TrainingSettings(5, 24, 7, 2, true,
            TrainingSettings.Averaging.STOCK, false, ConsolidationSettings.NONE, AugmentationSettings.NONE, 0,
            ShrinkAndPerturb.OFF, ReplaySettings.OFF, TrainingSettings.DEFAULT_EVALUATION_BATCH_SIZE,
            TrainingSettings.WORKERS_PER_TASK_AUTO);

    @Test
    void everyComponentHasAWithMethod() {
        for (RecordComponent component : TrainingSettings.class.getRecordComponents()) {
            assertThat(withMethod(component)).as(component.getName()).isNotNull();
        }
    }

    /**
     * Issue 18: a setting lost on the way to a trainer trains without it while the runs row records it. Each
     * with-method is applied to each fully set settings with the other's value, and every other component must
     * stay as it was; the pairs the constructor refuses (stock averaging with a resident-only setting, or
     * diagnostics without trajectories) are exactly those listed.
     */
    @Test
    void everyWithMethodChangesItsComponentAndKeepsEveryOther() throws ReflectiveOperationException {
        Set<String> refused = new TreeSet<>();
        for (RecordComponent changed : TrainingSettings.class.getRecordComponents()) {
            for (TrainingSettings[] pair : new TrainingSettings[][] {
                    {EVERY_SETTING_SET, EVERY_SETTING_OTHER}, {EVERY_SETTING_OTHER, EVERY_SETTING_SET}}) {
                TrainingSettings base = pair[0];
                Object value = changed.getAccessor().invoke(pair[1]);
                assertThat(value).as(changed.getName()).isNotEqualTo(changed.getAccessor().invoke(base));
                TrainingSettings result;
                try {
                    result = (TrainingSettings) withMethod(changed).invoke(base, value);
                } catch (InvocationTargetException e) {
                    assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
                    refused.add(changed.getName() + (base == EVERY_SETTING_SET ? " on resident" : " on stock"));
                    continue;
                }
                for (RecordComponent kept : TrainingSettings.class.getRecordComponents()) {
                    Object expected = kept.getName().equals(changed.getName()) ? pair[1] : base;
                    assertThat(kept.getAccessor().invoke(result)).as("with " + changed.getName() + ": " + kept.getName())
                            .isEqualTo(kept.getAccessor().invoke(expected));
                }
            }
        }
        assertThat(refused).containsExactly("augmentation on stock", "averaging on resident", "consolidation on stock",
                "diagnosticsEvery on stock", "replay on stock", "shrinkAndPerturb on stock", "trajectories on resident",
                "workersPerTask on stock");
    }

    @Test
    void workersPerTaskIsAutoByDefaultOrAPositiveCount() {
        assertThat(read("workers: 8\n").workersPerTask()).isEqualTo(TrainingSettings.WORKERS_PER_TASK_AUTO);
        assertThat(read("workers: 8\nworkers_per_task: auto\n").workersPerTask())
                .isEqualTo(TrainingSettings.WORKERS_PER_TASK_AUTO);
        assertThat(read("workers: 8\nworkers_per_task: 4\n").workersPerTask()).isEqualTo(4);
        for (String bad : new String[] {"0", "-2"}) {
            assertThatThrownBy(() -> read("workers: 8\nworkers_per_task: " + bad + "\n"))
                    .hasMessageContaining("training.workers_per_task must be auto or >= 1, found " + bad);
        }
        assertThatThrownBy(() -> read("workers: 8\nworkers_per_task: many\n"))
                .hasMessageContaining("workers_per_task").hasMessageContaining("an integer or auto");
    }

    private static TrainingSettings read(String yaml) {
        return TrainingSettings.read(ConfigDocument.parse("conf/t.yaml", yaml, List.of()).root());
    }

    @Test
    void residentHasTheDefaultsOfAFileThatGivesOnlyItsFourSettings() {
        ConfigSection training = ConfigDocument.parse("conf/t.yaml",
                "workers: 3\nbatch_size_per_worker: 16\naveraging_frequency: 4\nepochs: 6\n", List.of()).root();

        assertThat(TrainingSettings.resident(3, 16, 4, 6)).isEqualTo(TrainingSettings.read(training));
    }

    @Test
    void withEpochsChecksTheEpochsAsReadingTheFileDoes() {
        assertThatThrownBy(() -> EVERY_SETTING_SET.withEpochs(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("training.epochs must be >= 1, found 0");
    }

    @Test
    void diagnosticsNeedTrajectoriesAndTheResidentMasterAndACountOfZeroOrMore() {
        TrainingSettings resident = TrainingSettings.resident(2, 8, 2, 1);
        assertThatThrownBy(() -> resident.withDiagnosticsEvery(-1))
                .hasMessage("training.diagnostics_every must be >= 0 (0: never), found -1");
        assertThatThrownBy(() -> resident.withTrajectories(false).withDiagnosticsEvery(5))
                .hasMessage("training.diagnostics_every 5 records into the trajectories, which training.trajectories "
                        + "false switches off");
        assertThatThrownBy(() -> resident.withAveraging(TrainingSettings.Averaging.STOCK).withDiagnosticsEvery(5))
                .hasMessage("training.diagnostics_every needs training.averaging resident, found stock");
        assertThat(resident.withDiagnosticsEvery(5).diagnosticsEvery()).isEqualTo(5);
    }

    @Test
    void theEvaluationBatchSizeIsReadOnlyWhenWrittenAndRefusedBelowOne() {
        ConfigSection unwritten = ConfigDocument.parse("conf/t.yaml", "training: {epochs: 2}\n", List.of()).root();
        assertThat(TrainingSettings.read(unwritten.section("training")).evaluationBatchSize()).isEqualTo(1024);
        assertThat(unwritten.effectiveYaml()).as("a run from before the key records what it recorded then")
                .doesNotContain("evaluation_batch_size");

        ConfigSection written = ConfigDocument.parse("conf/t.yaml", "training: {evaluation_batch_size: 7}\n", List.of())
                .root();
        assertThat(TrainingSettings.read(written.section("training")).evaluationBatchSize()).isEqualTo(7);
        assertThat(written.effectiveYaml()).contains("evaluation_batch_size: 7");

        assertThatThrownBy(() -> readTraining("training: {evaluation_batch_size: 0}\n", List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("conf/t.yaml: training.evaluation_batch_size must be >= 1, found 0");
        assertThatThrownBy(() -> readTraining("training: {}\n", List.of("training.evaluation_batch_size=-5")))
                .hasMessage("--set training.evaluation_batch_size=-5: training.evaluation_batch_size must be >= 1, "
                        + "found -5");
        assertThatThrownBy(() -> readTraining("training: {evaluation_batch_size: all}\n", List.of()))
                .hasMessage("conf/t.yaml: training.evaluation_batch_size must be an integer, found text 'all'");
    }

    private static TrainingSettings readTraining(String yaml, List<String> overrides) {
        return TrainingSettings.read(ConfigDocument.parse("conf/t.yaml", yaml, overrides).root().section("training"));
    }

    /** {@code withEpochs} for {@code epochs}, taking the component's type; null when there is none. */
    private static Method withMethod(RecordComponent component) {
        String name = "with" + Character.toUpperCase(component.getName().charAt(0)) + component.getName().substring(1);
        try {
            return TrainingSettings.class.getMethod(name, component.getType());
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}

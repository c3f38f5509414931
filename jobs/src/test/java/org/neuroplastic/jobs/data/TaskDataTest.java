package org.neuroplastic.jobs.data;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.config.TaskStream;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Streams over the 1,797 digits of data/digits.csv.gz (10 classes, 64 features), 20% held out. */
class TaskDataTest {

    private static final DataSource DIGITS = new DataSource.Csv(LocalFiles.at(Path.of("..", "data", "digits.csv.gz")), null, "label",
            Target.classification(10), new DataSource.HoldOut(0.2, 7), false);

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static TaskData load(TaskStream stream) {
        return DatasetLoader.loadTasks(SPARK.session(), DataSource.Streamed.sequential(DIGITS, stream),
                NetworkConfig.INFERRED);
    }

    private static Set<Integer> labels(List<Row> rows) {
        Set<Integer> labels = new TreeSet<>();
        rows.forEach(r -> labels.add((int) r.getDouble(r.fieldIndex(DatasetSchema.LABEL))));
        return labels;
    }

    @Test
    void splitTasksHoldDisjointClassSetsCoveringEveryClassInBothSplits() {
        TaskData tasks = load(TaskStream.Split.shared(2, 10, TaskStream.Scenario.CLASS_INCREMENTAL));
        assertThat(tasks.tasks()).isEqualTo(5);
        Set<Integer> seen = new HashSet<>();
        long rows = 0;
        for (int t = 0; t < 5; t++) {
            List<Row> train = tasks.train(t).collectAsList();
            List<Row> test = tasks.test(t).collectAsList();
            assertThat(labels(train)).as("task %d train classes", t).containsExactly(2 * t, 2 * t + 1);
            assertThat(labels(test)).as("task %d test classes", t).containsExactly(2 * t, 2 * t + 1);
            assertThat(tasks.rows(t).where(col(DatasetSchema.TASK).notEqual(t)).count()).isZero();
            assertThat(tasks.trainRows(t)).isEqualTo(train.size());
            for (int c : labels(train)) {
                assertThat(seen.add(c)).as("class %d in one task only", c).isTrue();
            }
            rows += train.size() + test.size();
        }
        assertThat(seen).hasSize(10);
        assertThat(rows).isEqualTo(1797);
        assertThat(tasks.evaluatedClasses(1)).isNull();
    }

    @Test
    void taskIncrementalSplitsEvaluateEachTaskOverItsOwnClasses() {
        TaskData tasks = load(TaskStream.Split.shared(2, 10, TaskStream.Scenario.TASK_INCREMENTAL));
        assertThat(tasks.evaluatedClasses(3)).containsExactly(6, 7);
    }

    @Test
    void permutedTasksHoldEveryRowWithItsFeaturesReordered() {
        TaskData tasks = load(TaskStream.Permuted.offline(3, 11));
        int[][] orders = TaskPermutations.of(3, 64, 11);
        Map<Long, float[]> original = new HashMap<>();
        for (Row r : tasks.data().rows().collectAsList()) {
            original.put(r.getLong(r.fieldIndex(DatasetSchema.ROW_ID)), features(r));
        }
        for (int t = 0; t < 3; t++) {
            List<Row> rows = tasks.rows(t).collectAsList();
            assertThat(rows).hasSize(1797);
            assertThat(tasks.trainRows(t)).isEqualTo(tasks.data().trainRows());
            for (Row r : rows) {
                float[] source = original.get(r.getLong(r.fieldIndex(DatasetSchema.ROW_ID)));
                float[] permuted = features(r);
                for (int i = 0; i < 64; i++) {
                    assertThat(permuted[i]).isEqualTo(source[orders[t][i]]);
                }
                assertThat(r.getInt(r.fieldIndex(DatasetSchema.TASK))).isEqualTo(t);
            }
        }
    }

    @Test
    void heldOutMinibatchesOfAPermutedStreamAreTheTestMinibatchesWithEachTasksPermutation() {
        TaskData tasks = load(TaskStream.Permuted.offline(3, 11));
        int[][] orders = TaskPermutations.of(3, 64, 11);
        List<DataSet> original = Minibatches.ofTest(tasks.data(), 100).collect();
        for (int t = 0; t < 3; t++) {
            List<DataSet> heldOut = tasks.heldOutMinibatches(t, 100).collect();
            assertThat(heldOut).hasSameSizeAs(original);
            for (int b = 0; b < original.size(); b++) {
                assertThat(heldOut.get(b).getFeatures()).isEqualTo(original.get(b).getFeatures().getColumns(orders[t]));
                assertThat(heldOut.get(b).getLabels()).isEqualTo(original.get(b).getLabels());
            }
        }
    }

    /**
     * File data's tasks are cut from its slices (no Spark SQL conversion of every row per task and split): the
     * same minibatches, in the same partitions, as the task's rows selected and permuted by Spark SQL give.
     */
    @Test
    void fileDataTasksAreCutFromTheirSlicesIntoTheMinibatchesTheirRowsGive() {
        DataSource validated = new DataSource.Validated(DIGITS, new DataSource.ValidationSplit(0.2, 3));
        for (TaskStream stream : List.of(TaskStream.Split.shared(5, 10, TaskStream.Scenario.CLASS_INCREMENTAL),
                TaskStream.Permuted.offline(3, 11))) {
            TaskData tasks = DatasetLoader.loadTasks(SPARK.session(),
                    DataSource.Streamed.sequential(validated, stream),
                    NetworkConfig.INFERRED);
            assertThat(tasks.data().slices()).isNotNull();
            assertThat(tasks.data().slices().getStorageLevel()).as("kept for every task").isEqualTo(
                    org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
            assertThat(tasks.data().validationRows()).isPositive();
            for (int t = 0; t < tasks.tasks(); t++) {
                assertThat(tasks.trainRows(t)).as("task %d's training rows, counted on the slices", t)
                        .isEqualTo(tasks.train(t).count());
                MinibatchesTest.assertSameMinibatches(tasks.trainingMinibatches(t, 16).glom().collect(),
                        Minibatches.of(tasks.train(t), 64, tasks.data().target(), 16).glom().collect(),
                        tasks.train(t).count());
                for (String split : List.of(DatasetSchema.TEST, DatasetSchema.VALIDATION)) {
                    MinibatchesTest.assertSameMinibatches(tasks.heldOutMinibatches(t, split, 16).glom().collect(),
                            Minibatches.of(tasks.heldOut(t, split), 64, tasks.data().target(), 16).glom().collect(),
                            tasks.heldOut(t, split).count());
                }
            }
            tasks.release();
            assertThat(tasks.data().slices().getStorageLevel()).as("released when the run ends")
                    .isEqualTo(org.apache.spark.storage.StorageLevel.NONE());
        }
    }

    @Test
    void rejectsASplitTaskWithoutTrainingRows(@TempDir Path temp) throws IOException {
        Path file = temp.resolve("four-classes.csv");
        StringBuilder csv = new StringBuilder("x,label\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i).append(',').append(i % 4).append('\n');
        }
        Files.writeString(file, csv);
        DataSource source = new DataSource.Csv(LocalFiles.at(file), null, "label", Target.classification(6),
                new DataSource.HoldOut(0.0, 0), false);
        assertThatThrownBy(() -> DatasetLoader.loadTasks(SPARK.session(), DataSource.Streamed.sequential(source,
                TaskStream.Split.shared(2, 6, TaskStream.Scenario.CLASS_INCREMENTAL)), 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + ": task 2 of the split stream (classes 4, 5) has no training row");
    }

    private static float[] features(Row r) {
        List<Float> values = r.getList(r.fieldIndex(DatasetSchema.FEATURES));
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    @Test
    void anOnlineTaskDrawsExactlyItsExamplesFromTheTrainSplitUnderItsPermutation() {
        TaskData tasks = load(new TaskStream.Permuted(4, 11, 50));
        assertThat(tasks.online()).isTrue();
        Set<Long> trainIds = new HashSet<>();
        tasks.data().train().select(DatasetSchema.ROW_ID).collectAsList().forEach(r -> trainIds.add(r.getLong(0)));
        Set<Long> first = null;
        for (int t = 0; t < 4; t++) {
            long[] ids = tasks.onlineRowIds(t);
            Set<Long> distinct = new TreeSet<>();
            for (long id : ids) {
                distinct.add(id);
            }
            assertThat(distinct).as("task %d", t).hasSize(50);
            assertThat(trainIds).containsAll(distinct);
            assertThat(tasks.trainRows(t)).isEqualTo(50);
            List<Row> rows = tasks.train(t).collectAsList();
            assertThat(rows).hasSize(50);
            Set<Long> rowIds = new TreeSet<>();
            rows.forEach(r -> rowIds.add(r.getLong(r.fieldIndex(DatasetSchema.ROW_ID))));
            assertThat(rowIds).isEqualTo(distinct);
            long examples = 0;
            for (DataSet batch : tasks.trainingMinibatches(t, 16).collect()) {
                examples += batch.numExamples();
            }
            assertThat(examples).isEqualTo(50);
            if (t == 0) {
                first = distinct;
            } else {
                assertThat(distinct).as("task %d draws other rows than task 0", t).isNotEqualTo(first);
            }
        }
        // A task's draw depends on (seed, task) alone, not on the stream's length.
        assertThat(load(new TaskStream.Permuted(2, 11, 50)).onlineRowIds(1)).containsExactly(tasks.onlineRowIds(1));
        // Task 1's features are task 1's permutation of the row's features, as in the offline stream.
        Row online = tasks.train(1).orderBy(DatasetSchema.ROW_ID).first();
        Row offline = load(TaskStream.Permuted.offline(4, 11)).train(1)
                .where(col(DatasetSchema.ROW_ID).equalTo(online.getLong(online.fieldIndex(DatasetSchema.ROW_ID)))).first();
        assertThat(online.<Object>getList(online.fieldIndex(DatasetSchema.FEATURES)))
                .isEqualTo(offline.getList(offline.fieldIndex(DatasetSchema.FEATURES)));
    }

    @Test
    void refusesMoreExamplesPerTaskThanTheTrainSplitHolds() {
        long trainRows = load(TaskStream.Permuted.offline(1, 0)).trainRows(0);
        assertThatThrownBy(() -> load(new TaskStream.Permuted(3, 11, (int) trainRows + 1)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageEndingWith("data.stream.examples_per_task " + (trainRows + 1) + " exceeds the " + trainRows
                        + " training rows")
                .hasMessageNotContaining("\n");
        assertThat(load(new TaskStream.Permuted(1, 11, (int) trainRows)).train(0).count()).isEqualTo(trainRows);
    }
}

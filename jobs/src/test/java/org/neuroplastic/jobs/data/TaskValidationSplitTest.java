package org.neuroplastic.jobs.data;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.config.TaskStream;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validation split of a stream ({@code data.validation_fraction} with {@code data.stream}) on 40 rows of 4
 * classes (row r: features r, r mod 7, r mod 5; label r mod 4), a quarter held out for test, a quarter of the
 * rest for validation: each task's validation rows are the non-stream run's validation rows of that task.
 */
class TaskValidationSplitTest {

    private static final int ROWS = 40;
    private static final long SEED = 3;
    private static final DataSource.ValidationSplit SPLIT = new DataSource.ValidationSplit(0.25, SEED);

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    static Path dir;

    private static DataSource.Validated source;
    private static LoadedDataset plain;

    @BeforeAll
    static void tinyDataSet() throws IOException {
        StringBuilder csv = new StringBuilder("a,b,c,label\n");
        for (int r = 0; r < ROWS; r++) {
            csv.append(r).append(',').append(r % 7).append(',').append(r % 5).append(',').append(r % 4).append('\n');
        }
        Path file = Files.writeString(dir.resolve("tiny.csv"), csv);
        DataSource.Csv csvSource = new DataSource.Csv(LocalFiles.at(file), null, "label", Target.classification(4),
                new DataSource.HoldOut(0.25, SEED), false);
        source = new DataSource.Validated(csvSource, SPLIT);
        plain = DatasetLoader.load(SPARK.session(), source, NetworkConfig.INFERRED);
    }

    private static TaskData stream(TaskStream stream) {
        return DatasetLoader.loadTasks(SPARK.session(), DataSource.Streamed.sequential(source, stream),
                NetworkConfig.INFERRED);
    }

    private static Set<Long> ids(Dataset<Row> rows) {
        Set<Long> ids = new TreeSet<>();
        rows.select(DatasetSchema.ROW_ID).collectAsList().forEach(r -> ids.add(r.getLong(0)));
        return ids;
    }

    /** The non-stream run's validation rows whose label is in {@code classes}. */
    private static Set<Long> validationOf(int... classes) {
        Set<Long> ids = new TreeSet<>();
        for (Row r : plain.validation().collectAsList()) {
            int label = (int) r.getDouble(r.fieldIndex(DatasetSchema.LABEL));
            for (int c : classes) {
                if (label == c) {
                    ids.add(r.getLong(r.fieldIndex(DatasetSchema.ROW_ID)));
                }
            }
        }
        return ids;
    }

    @Test
    void theNonStreamValidationRowsAreTheRuleOnTheTrainingRows() {
        Set<Long> expected = new TreeSet<>();
        for (long r = 0; r < ROWS; r++) {
            // Row r is a test row by the hold-out rule, else a validation row by the validation rule.
            boolean test = RowRandom.uniform(SEED, r) < 0.25;
            if (!test && RowRandom.uniform(SEED ^ 0x2545F4914F6CDD1DL, r) < 0.25) {
                expected.add(r);
            }
        }
        assertThat(ids(plain.validation())).isEqualTo(expected).isNotEmpty();
        assertThat(ids(plain.test())).doesNotContainAnyElementsOf(expected);
    }

    @Test
    void eachSplitTaskValidatesOnTheNonStreamValidationRowsOfItsClassesAndTrainsOnNone() {
        TaskData tasks = stream(TaskStream.Split.shared(2, 4, TaskStream.Scenario.TASK_INCREMENTAL));
        Set<Long> all = new TreeSet<>();
        for (int t = 0; t < 2; t++) {
            Set<Long> validation = ids(tasks.heldOut(t, DatasetSchema.VALIDATION));
            assertThat(validation).as("task %d", t).isEqualTo(validationOf(2 * t, 2 * t + 1)).isNotEmpty();
            assertThat(ids(tasks.train(t))).as("task %d trains on no validation row", t)
                    .doesNotContainAnyElementsOf(validation);
            assertThat(ids(tasks.test(t))).doesNotContainAnyElementsOf(validation);
            assertThat(tasks.trainRows(t)).isEqualTo(tasks.train(t).count());
            assertThat(tasks.heldOut(t, DatasetSchema.VALIDATION).where(col(DatasetSchema.TASK).notEqual(t)).count())
                    .isZero();
            long examples = 0;
            for (DataSet batch : tasks.heldOutMinibatches(t, DatasetSchema.VALIDATION, 4).collect()) {
                examples += batch.numExamples();
                // One-hot labels: the columns of other tasks' classes are never set.
                for (int c = 0; c < 4; c++) {
                    if (c / 2 != t) {
                        assertThat(batch.getLabels().getColumn(c).sumNumber().doubleValue()).isZero();
                    }
                }
            }
            assertThat(examples).isEqualTo(validation.size());
            all.addAll(validation);
        }
        assertThat(all).isEqualTo(ids(plain.validation()));
    }

    @Test
    void eachPermutedTaskValidatesOnEveryValidationRowUnderItsPermutationAndAJointStreamTrainsOnNone() {
        TaskData tasks = stream(TaskStream.Permuted.offline(2, 5));
        int[][] orders = TaskPermutations.of(2, 3, 5);
        Map<Long, List<Float>> original = new HashMap<>();
        plain.validation().collectAsList().forEach(r -> original.put(r.getLong(r.fieldIndex(DatasetSchema.ROW_ID)),
                r.getList(r.fieldIndex(DatasetSchema.FEATURES))));
        for (int t = 0; t < 2; t++) {
            List<Row> rows = tasks.heldOut(t, DatasetSchema.VALIDATION).collectAsList();
            assertThat(ids(tasks.heldOut(t, DatasetSchema.VALIDATION))).isEqualTo(original.keySet());
            for (Row r : rows) {
                List<Float> features = r.getList(r.fieldIndex(DatasetSchema.FEATURES));
                List<Float> source = original.get(r.getLong(r.fieldIndex(DatasetSchema.ROW_ID)));
                for (int i = 0; i < 3; i++) {
                    assertThat(features.get(i)).isEqualTo(source.get(orders[t][i]));
                }
            }
            assertThat(tasks.trainRows(t)).isEqualTo(plain.trainRows());
            assertThat(ids(tasks.train(t))).doesNotContainAnyElementsOf(original.keySet());
        }
        TaskData joint = tasks.joint();
        long examples = 0;
        for (DataSet batch : joint.phaseMinibatches(0, 4, 1).collect()) {
            examples += batch.numExamples();
        }
        assertThat(examples).as("every task's training rows, no validation row").isEqualTo(2 * plain.trainRows());
        assertThat(ids(joint.heldOut(1, DatasetSchema.VALIDATION))).isEqualTo(original.keySet());
    }
}

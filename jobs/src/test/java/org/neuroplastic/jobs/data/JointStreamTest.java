package org.neuroplastic.jobs.data;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.config.TaskStream;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The joint-training phase of streams over the digits of data/digits.csv.gz, 20% held out. */
class JointStreamTest {

    private static final DataSource DIGITS = new DataSource.Csv(LocalFiles.at(Path.of("..", "data", "digits.csv.gz")),
            null, "label", Target.classification(10), new DataSource.HoldOut(0.2, 7), false);

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static TaskData load(TaskStream stream, boolean joint) {
        return DatasetLoader.loadTasks(SPARK.session(), new DataSource.Streamed(DIGITS, stream, joint),
                NetworkConfig.INFERRED);
    }

    /** Examples as "features|label", counted: a multiset. */
    private static Map<String, Integer> examples(List<DataSet> batches) {
        Map<String, Integer> counts = new HashMap<>();
        for (DataSet batch : batches) {
            for (int i = 0; i < batch.numExamples(); i++) {
                String key = Arrays.toString(batch.getFeatures().getRow(i).toFloatVector()) + "|"
                        + batch.getLabels().getRow(i).argMax().getInt(0);
                counts.merge(key, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static Map<String, Integer> everyTasksTrainingExamples(TaskData sequential) {
        Map<String, Integer> union = new HashMap<>();
        for (int t = 0; t < sequential.tasks(); t++) {
            examples(sequential.trainingMinibatches(t, 50).collect()).forEach((k, v) -> union.merge(k, v, Integer::sum));
        }
        return union;
    }

    private static Set<Integer> classes(DataSet batch) {
        Set<Integer> classes = new TreeSet<>();
        for (int i = 0; i < batch.numExamples(); i++) {
            classes.add(batch.getLabels().getRow(i).argMax().getInt(0));
        }
        return classes;
    }

    @Test
    void aJointSplitStreamTrainsEveryTasksExamplesInOnePhaseAndEvaluatesEachTask() {
        TaskStream split = TaskStream.Split.shared(2, 10, TaskStream.Scenario.TASK_INCREMENTAL);
        TaskData sequential = load(split, false);
        TaskData joint = load(split, true);

        List<DataSet> batches = joint.phaseMinibatches(0, 50, 42).collect();

        assertThat(joint.isJoint()).isTrue();
        assertThat(joint.phases()).isEqualTo(1);
        assertThat(sequential.phases()).isEqualTo(5);
        assertThat(joint.trainedTask(0)).isEqualTo(4);
        assertThat(joint.phaseTrainRows(0)).isEqualTo(joint.data().trainRows());
        assertThat(examples(batches)).isEqualTo(everyTasksTrainingExamples(sequential));
        assertThat(classes(batches.get(0))).as("the first minibatch mixes the tasks").hasSizeGreaterThan(4);
        assertThat(joint.tasks()).isEqualTo(5);
        for (int t = 0; t < 5; t++) {
            assertThat(joint.evaluatedClasses(t)).isEqualTo(sequential.evaluatedClasses(t));
            List<Row> test = joint.test(t).collectAsList();
            assertThat(test).hasSameSizeAs(sequential.test(t).collectAsList());
        }
    }

    @Test
    void aJointPermutedStreamTrainsTheTrainSplitUnderEveryPermutationShuffledFromTheSeed() {
        TaskStream permuted = TaskStream.Permuted.offline(3, 7);
        TaskData sequential = load(permuted, false);
        TaskData joint = load(permuted, true);

        List<DataSet> batches = joint.phaseMinibatches(0, 50, 42).collect();

        assertThat(joint.phaseTrainRows(0)).isEqualTo(3 * joint.data().trainRows());
        assertThat(batches.stream().mapToLong(DataSet::numExamples).sum()).isEqualTo(3 * joint.data().trainRows());
        assertThat(examples(batches)).isEqualTo(everyTasksTrainingExamples(sequential));
        assertThat(examples(joint.phaseMinibatches(0, 50, 42).collect())).isEqualTo(examples(batches));
        assertThat(joint.phaseMinibatches(0, 50, 42).collect().get(0)).isEqualTo(batches.get(0));
        assertThat(joint.phaseMinibatches(0, 50, 43).collect().get(0)).isNotEqualTo(batches.get(0));
    }
}

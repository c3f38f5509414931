package org.neuroplastic.jobs.train;

import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.results.EvaluationRecord;
import org.neuroplastic.jobs.results.ModelArchive;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.trajectory.LayerMetrics;
import org.neuroplastic.jobs.trajectory.PendingRows;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EpochOutputsTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static final TrajectoryScope SCOPE = new TrajectoryScope("run-e", null, 0);

    @TempDir
    Path folder;

    @Test
    void anEpochsRowsEvaluationsAndCheckpointAreAllWrittenOnceAwaited() {
        Location out = LocalFiles.at(folder);
        MultiLayerNetwork network = SmallNetworks.classifier();
        try (EpochOutputs outputs = outputs(out)) {
            outputs.trajectory(rows(1, 2));
            outputs.evaluations(List.of(evaluation(1)));
            outputs.checkpoint(network, checkpoint(out, 1));
            outputs.await();

            assertThat(SPARK.session().read().parquet(out.resolve(TrajectoryWriter.FOLDER).uri()).count()).isEqualTo(2);
            List<Row> evaluations = SPARK.session().read().parquet(out.resolve(ResultWriter.EVALUATIONS).uri())
                    .collectAsList();
            assertThat(evaluations).hasSize(1);
            assertThat(evaluations.get(0).<Integer>getAs("epoch")).isEqualTo(1);
            assertThat(folder.resolve(TrainJob.CHECKPOINTS).resolve(Resumption.checkpointName(1))).isRegularFile();
        }
    }

    @Test
    void aCheckpointHoldsTheNetworkAsItWasWhenHandedOverWhileTrainingChangesIt() {
        Location out = LocalFiles.at(folder);
        MultiLayerNetwork network = SmallNetworks.classifier();
        INDArray atHandOver = network.params().dup();
        try (EpochOutputs outputs = outputs(out)) {
            outputs.checkpoint(network, checkpoint(out, 1));
            network.params().addi(1.0);
        }

        MultiLayerNetwork read = ModelArchive.read(Storage.of(SPARK.session()), checkpoint(out, 1), true);
        assertThat(read.params().equalsWithEps(atHandOver, 0.0)).as("checkpoint parameters").isTrue();
    }

    @Test
    void aFailedAppendWritesNoLaterOutputAndIsThrownOnceByTheNextHandOver() throws Exception {
        Location out = LocalFiles.at(folder);
        // A file where the trajectory table's folder should be: the append fails.
        Files.writeString(folder.resolve(TrajectoryWriter.FOLDER), "not a folder");
        EpochOutputs outputs = outputs(out);
        outputs.trajectory(rows(1, 2));
        outputs.evaluations(List.of(evaluation(1)));
        outputs.checkpoint(SmallNetworks.classifier(), checkpoint(out, 1));
        PendingRows next = rows(2, 3);

        assertThatThrownBy(() -> outputs.trajectory(next))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not write the trajectory rows of run run-e")
                .hasMessageContaining("resume the run from its last checkpoint");
        assertThat(next.isEmpty()).as("the rows refused at the hand-over are freed").isTrue();
        assertThat(folder.resolve(ResultWriter.EVALUATIONS)).doesNotExist();
        assertThat(folder.resolve(TrainJob.CHECKPOINTS)).doesNotExist();
        outputs.close();
    }

    private EpochOutputs outputs(Location out) {
        return new EpochOutputs(SCOPE.runId(), new TrajectoryWriter(SPARK.session()), new ResultWriter(SPARK.session()),
                Storage.of(SPARK.session()), out);
    }

    private static Location checkpoint(Location out, int epoch) {
        return out.resolve(TrainJob.CHECKPOINTS).resolve(Resumption.checkpointName(epoch));
    }

    /** {@code count} rows of epoch {@code epoch} made on the driver. */
    private static PendingRows rows(int epoch, int count) {
        PendingRows rows = new PendingRows();
        rows.setOnDriver(IntStream.range(0, count)
                .mapToObj(step -> TrajectoryRecord.of(SCOPE, epoch, 0, step + 1L, "0", "exec-1",
                        LayerMetrics.weightsOnly(0, 1.0), 0.5, null, null, 1))
                .toList());
        return rows;
    }

    private static EvaluationRecord evaluation(int epoch) {
        return new EvaluationRecord(SCOPE.runId(), null, epoch, 0, 0, "test", 10, 0.5, 0.8);
    }
}

package org.neuroplastic.jobs.trajectory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrajectoryBufferTest {

    private static final TrajectoryScope SCOPE = new TrajectoryScope("run", null, 0);

    private static TrajectoryRecord row(long step, String worker, int layer, double loss) {
        return TrajectoryRecord.of(SCOPE, 0, 0, step, worker, "1", LayerMetrics.weightsOnly(layer, 1.0), loss,
                null, 3);
    }

    @Test
    void keepsTheFirstDeliveryOfEachKeyAndCountsTheDuplicates() {
        TrajectoryBuffer buffer = new TrajectoryBuffer();
        List<TrajectoryRecord> attempt = List.of(row(1, "0", 0, 0.5), row(1, "0", 1, 0.5), row(1, "1", 0, 0.7));
        List<TrajectoryRecord> redelivered = List.of(row(1, "0", 0, 9.0), row(1, "1", 0, 9.0), row(2, "1", 0, 0.6));

        assertThat(buffer.addAll(attempt)).isEqualTo(3);
        assertThat(buffer.addAll(redelivered)).isEqualTo(1);

        assertThat(buffer.duplicatesDropped()).isEqualTo(2);
        List<TrajectoryRecord> rows = buffer.drain();
        assertThat(rows).hasSize(4);
        assertThat(rows).extracting(TrajectoryRecord::loss).containsExactly(0.5, 0.5, 0.7, 0.6);
        assertThat(buffer.size()).isZero();
    }

    @Test
    void rowsDifferingOnlyInTaskOrEpochAreDistinct() {
        TrajectoryBuffer buffer = new TrajectoryBuffer();
        TrajectoryRecord first = row(1, "0", 0, 0.5);
        TrajectoryRecord otherTask = TrajectoryRecord.of(new TrajectoryScope("run", null, 1), 0, 0, 1, "0", "1",
                LayerMetrics.weightsOnly(0, 1.0), 0.5, null, 3);
        TrajectoryRecord otherEpoch = TrajectoryRecord.of(SCOPE, 1, 0, 1, "0", "1",
                LayerMetrics.weightsOnly(0, 1.0), 0.5, null, 3);

        assertThat(buffer.addAll(List.of(first, otherTask, otherEpoch))).isEqualTo(3);
    }
}

package org.neuroplastic.jobs.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.data.Vectors;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class StateShardsTest {

    @Test
    void aSmallStateWithFewWorkersIsOneShard() {
        assertThat(StateShards.of(1_000, 2_000, 0, 2, 1, 1).shards()).isEqualTo(1);
    }

    @Test
    void everyTaskSlotAveragesAShardUpToOneShardPerWorker() {
        // 12,000 bytes per worker would fit one reducer; two slots get two shards, unless one worker alone.
        assertThat(StateShards.of(1_000, 2_000, 0, 2, 1, 2).shards()).isEqualTo(2);
        assertThat(StateShards.of(1_000, 2_000, 0, 8, 1, 4).shards()).isEqualTo(4);
        assertThat(StateShards.of(1_000, 2_000, 0, 1, 1, 2).shards()).isEqualTo(1);
        // Above the slots, the 32 MiB bound decides as before: 23 shards for 128 workers of 6,000,000 bytes.
        assertThat(StateShards.of(500_000, 1_000_000, 0, 128, 1, 16).shards()).isEqualTo(23);
    }

    @Test
    void shardsKeepEachReducersInputUnderTheBoundUntilTheyMatchTheWorkers() {
        // 500,000 parameters and 1,000,000 Adam values: 6,000,000 bytes per worker.
        // 8 workers send 48,000,000 bytes in all: two reducers of 32 MiB (33,554,432 bytes) hold them.
        assertThat(StateShards.of(500_000, 1_000_000, 0, 8, 1, 1).shards()).isEqualTo(2);
        // 128 workers send 768,000,000 bytes: 23 shards of at most 32 MiB each.
        assertThat(StateShards.of(500_000, 1_000_000, 0, 128, 1, 1).shards()).isEqualTo(23);
        // 10,000,000 parameters, no updater state, 4 workers: 160,000,000 bytes would need 5 reducers,
        // but there are only 4 workers; each reducer then receives one worker's worth (40,000,000 bytes).
        assertThat(StateShards.of(10_000_000, 0, 0, 4, 1, 1).shards()).isEqualTo(4);
    }

    @Test
    void shardsCoverTheStateContiguouslyWithoutOverlap() {
        StateShards shards = new StateShards(7, 10, 3, 0);
        assertThat(shards.start(0)).isZero();
        assertThat(shards.start(1)).isEqualTo(3);
        assertThat(shards.start(2)).isEqualTo(6);
        assertThat(shards.start(3)).isEqualTo(10);
        assertThat(shards.summaryShard()).isEqualTo(3);
        assertThat(shards.partitioner(true).numPartitions()).isEqualTo(4);
        assertThat(shards.partitioner(true).getPartition(3)).isEqualTo(3);
        assertThat(shards.partitioner(false).numPartitions()).isEqualTo(3);
        assertThat(shards.partitioner(false).getPartition(3)).isEqualTo(2);
    }

    @Test
    void aShardAcrossTheParameterBoundaryReadsParametersThenUpdaterState() {
        StateShards shards = new StateShards(7, 10, 3, 0);
        INDArray parameters = Nd4j.createFromArray(0f, 1f, 2f, 3f, 4f, 5f, 6f);
        INDArray updater = Nd4j.createFromArray(70f, 80f, 90f);

        ByteBuffer middle = Vectors.wrap(shards.encode(1, 5, parameters, updater, null));
        ByteBuffer last = Vectors.wrap(shards.encode(2, 5, parameters, updater, null));

        // The header: the worker's partition, and 1 worker in the record.
        assertThat(middle.getInt()).isEqualTo(5);
        assertThat(middle.getInt()).isEqualTo(1);
        assertThat(Vectors.get(middle, 3)).containsExactly(3f, 4f, 5f);
        assertThat(last.getInt()).isEqualTo(5);
        assertThat(last.getInt()).isEqualTo(1);
        assertThat(Vectors.get(last, 4)).containsExactly(6f, 70f, 80f, 90f);
    }

    @Test
    void refusesMoreShardsThanValues() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StateShards(2, 3, 4, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 shards");
    }
}

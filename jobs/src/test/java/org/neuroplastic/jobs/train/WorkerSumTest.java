package org.neuroplastic.jobs.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.data.Vectors;
import scala.Tuple2;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerSumTest {

    @Test
    void sumsParametersThenUpdaterStateInDoublesOneRecordPerShard() {
        // 3 parameters and 2 updater values in two shards: [0, 2) and [2, 5).
        StateShards shards = new StateShards(3, 5, 2, 0);
        WorkerSum sum = new WorkerSum(shards);
        sum.add(4, Nd4j.createFromArray(1f, 2f, 16_777_216f), Nd4j.createFromArray(10f, 20f), null);
        sum.add(5, Nd4j.createFromArray(0.5f, 0.25f, 1f), Nd4j.createFromArray(1f, 2f), null);

        List<Tuple2<Integer, byte[]>> records = sum.records();

        assertThat(sum.workers()).isEqualTo(2);
        assertThat(records).extracting(Tuple2::_1).containsExactly(0, 1);
        ByteBuffer first = Vectors.wrap(records.get(0)._2());
        assertThat(first.getInt()).as("first partition").isEqualTo(4);
        assertThat(first.getInt()).as("workers").isEqualTo(2);
        assertThat(first.getDouble()).isEqualTo(1.5);
        assertThat(first.getDouble()).isEqualTo(2.25);
        ByteBuffer second = Vectors.wrap(records.get(1)._2()).position(StateShards.HEADER);
        // 2^24 + 1: kept in double.
        assertThat(second.getDouble()).isEqualTo(16_777_217.0);
        assertThat(second.getDouble()).isEqualTo(11.0);
        assertThat(second.getDouble()).isEqualTo(22.0);
    }

    @Test
    void oneWorkersSumIsItsFloatsAsOneWorkerSendsThem() {
        StateShards shards = new StateShards(3, 3, 1, 0);
        WorkerSum sum = new WorkerSum(shards);
        sum.add(7, Nd4j.createFromArray(0.1f, -2f, 3f), null, null);

        assertThat(sum.records().get(0)._2())
                .containsExactly(shards.encode(0, 7, Nd4j.createFromArray(0.1f, -2f, 3f), null, null));
    }

    @Test
    void aTaskWhoseWorkersAllRanOutSendsNoRecord() {
        assertThat(new WorkerSum(new StateShards(3, 3, 1, 0)).records()).isEmpty();
    }
}

package org.neuroplastic.jobs.data;

import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neuroplastic.jobs.LocalSpark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BroadcastSlicesTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static List<double[]> slices() {
        List<double[]> slices = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            double[] values = new double[50_000];
            Arrays.fill(values, s + 1);
            slices.add(values);
        }
        return slices;
    }

    @Test
    void partitionIYieldsSliceI() {
        JavaRDD<double[]> rdd = BroadcastSlices.of(SPARK.context(), slices());
        List<List<double[]>> byPartition = rdd.glom().collect();
        assertThat(byPartition).hasSize(3);
        for (int p = 0; p < 3; p++) {
            assertThat(byPartition.get(p)).hasSize(1);
            assertThat(byPartition.get(p).get(0)).hasSize(50_000).containsOnly(p + 1.0);
        }
    }

    @Test
    void partitionsNameTheirSliceInsteadOfHoldingIt() throws IOException {
        // Each slice is 400 KB; a partition of parallelize(slices) serializes with its slice in it.
        Partition[] named = BroadcastSlices.of(SPARK.context(), slices()).rdd().partitions();
        Partition[] holding = SPARK.context().parallelize(slices(), 3).rdd().partitions();
        assertThat(serializedSize(holding[0])).isGreaterThan(400_000);
        assertThat(serializedSize(named[0])).isLessThan(2_000);
    }

    private static int serializedSize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.size();
    }
}

package org.neuroplastic.jobs.train;

import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neuroplastic.jobs.LocalSpark;
import scala.Tuple2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScalaRddTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static JavaRDD<Integer> numbers(int count, int partitions) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            numbers.add(i);
        }
        return SPARK.context().parallelize(numbers, partitions);
    }

    @Test
    void mapPartitionsWithIndexHandsEachPartitionItsIndexAndKeepsThePartitioner() {
        JavaPairRDD<Integer, Integer> keyed = numbers(12, 3).mapToPair(n -> new Tuple2<>(n % 4, n))
                .partitionBy(new HashPartitioner(4));
        JavaRDD<Tuple2<Integer, Integer>> tagged = ScalaRdd.mapPartitionsWithIndex(keyed.rdd().toJavaRDD(),
                (Integer partition, Iterator<Tuple2<Integer, Integer>> pairs) -> {
                    List<Tuple2<Integer, Integer>> out = new ArrayList<>();
                    pairs.forEachRemaining(pair -> out.add(new Tuple2<>(partition, pair._2())));
                    return out.iterator();
                });

        assertThat(tagged.rdd().partitioner().get()).isEqualTo(new HashPartitioner(4));
        assertThat(tagged.collect()).allSatisfy(t -> assertThat(t._2() % 4).isEqualTo(t._1())).hasSize(12);
    }

    @Test
    void filterAndMapGiveWhatTheJavaApiGives() {
        JavaRDD<Integer> source = numbers(20, 3);

        assertThat(ScalaRdd.map(ScalaRdd.filter(source, n -> n % 3 == 0), n -> "#" + n).collect())
                .isEqualTo(source.filter(n -> n % 3 == 0).map(n -> "#" + n).collect());
    }

    @Test
    void collectPartitionsReturnsThePartitionsAskedInTheOrderAskedAndComputesNoOther() {
        LongAccumulator computed = SPARK.context().sc().longAccumulator();
        JavaRDD<Integer> counted = ScalaRdd.mapPartitionsWithIndex(numbers(9, 3),
                (Integer partition, Iterator<Integer> it) -> {
                    computed.add(1);
                    return it;
                });

        List<List<Integer>> partitions = ScalaRdd.collectPartitions(counted, new int[] {2, 0});

        assertThat(partitions).containsExactly(List.of(6, 7, 8), List.of(0, 1, 2));
        assertThat(computed.value()).isEqualTo(2);
    }

    @Test
    void aCheckedExceptionOfTheFunctionReachesTheDriverUnwrapped() {
        JavaRDD<Integer> failing = ScalaRdd.mapPartitionsWithIndex(numbers(4, 2),
                (Integer partition, Iterator<Integer> it) -> {
                    throw new IOException("disk full in partition " + partition);
                });

        assertThatThrownBy(() -> ScalaRdd.collectPartitions(failing, new int[] {0}))
                .isInstanceOf(SparkException.class)
                .hasMessageContaining("java.io.IOException: disk full in partition 0");
    }
}

package org.neuroplastic.jobs.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** The Spark settings every job's session is built with, for {@link ResidentAveragingMaster}'s rounds. */
public final class AveragingSparkConf {

    private AveragingSparkConf() {
    }

    /**
     * Spark settings the resident averaging is fastest with: Kryo (with ND4J's registrations, which DL4J's
     * SparkDl4jMultiLayer checks for) on unsafe I/O, uncompressed broadcasts, and task results returned directly
     * instead of through the block manager (results are a few MB; Spark caps the direct size at {@code
     * spark.rpc.message.maxSize}, 128 MB by default). Shuffles are not compressed: each round's shuffle carries every
     * worker's float state, which LZ4 does not shrink but spends most of the round on (measured with {@code
     * bin/benchmark scaling}: 513 ms against 196 ms a round at 2 workers and 0.5M parameters). Each round's map tasks
     * write their shuffle output as one file, not one temporary file per reducer concatenated afterwards (Spark's
     * "bypass merge" writer, which it picks below 200 reducers; a round has a few), and without the Adler-32 checksums
     * Spark keeps only to diagnose the cause of a corrupt block once a fetch has detected one (it detects them by
     * decompressing, and these shuffles are not compressed): opening, deleting and checksumming those files took most
     * of a round task's native time in a profile of {@code bin/benchmark scaling} (2 workers, 0.5M parameters), and
     * without them a round's tasks take about 40% less time at 2 workers and half at 8 (docs/BENCHMARKS.md,
     * "Scaling"). Speculation stays off: a speculative copy would train the same partition twice.
     */
    public static Map<String, String> recommended() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.put("spark.kryo.registrator", TrainingKryoRegistrator.class.getName());
        conf.put("spark.kryo.unsafe", "true");
        conf.put("spark.broadcast.compress", "false");
        conf.put("spark.task.maxDirectResultSize", "128m");
        conf.put("spark.shuffle.compress", "false");
        conf.put("spark.shuffle.sort.bypassMergeThreshold", "1");
        conf.put("spark.shuffle.checksum.enabled", "false");
        conf.put("spark.speculation", "false");
        return conf;
    }
}

package org.neuroplastic.jobs.cluster;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Locale;

/**
 * A Spark application that reads the text files at its first argument on two partitions, upper-cases each
 * line on the executors and writes the lines as text files to its second argument; then prints
 * {@code copied <lines> lines from <input> to <output>}. Paths are Hadoop paths, so the two may name HDFS.
 */
public final class UpperCaseCopy {

    private UpperCaseCopy() {
    }

    public static void main(String[] args) {
        try (JavaSparkContext spark = new JavaSparkContext(new SparkConf().setAppName("upper-case-copy"))) {
            JavaRDD<String> lines = spark.textFile(args[0], 2).map(line -> line.toUpperCase(Locale.ROOT));
            lines.saveAsTextFile(args[1]);
            System.out.println("copied " + lines.count() + " lines from " + args[0] + " to " + args[1]);
        }
    }
}

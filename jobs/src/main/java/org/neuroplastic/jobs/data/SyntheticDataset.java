package org.neuroplastic.jobs.data;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.GenerateConfig;

import java.io.Serializable;
import java.util.Iterator;

/**
 * The synthetic data sets of {@code generate}, computed in Spark partitions from {@code spark.range}:
 * row {@code r} is a function of {@code (seed, r)} only, so any partition count gives the same rows.
 *
 * <p>Each row draws, in this order from its own stream: a uniform {@code u} (test split when
 * {@code u < test_fraction}); for classification a uniform class {@code k}; the features; the noise.
 * <ul>
 *   <li>regression: {@code x ~ N(0, I_d)}, {@code y = x.w + noise_std * e}, {@code e ~ N(0, 1)}, with
 *   {@code w} drawn once from the seed and rescaled so that {@code |w|^2 = signal_variance}. The defaults
 *   (d = 10, |w|^2 = 120, noise_std = 1) give {@code Var(y) = 121}: the loss of a zero predictor is about
 *   121, the reference's first loss.</li>
 *   <li>classification: centroids {@code c_k ~ N(0, class_separation^2 I_d)} drawn once from the seed,
 *   {@code x = c_k + noise_std * N(0, I_d)}, label {@code k}.</li>
 * </ul>
 */
public final class SyntheticDataset {

    private SyntheticDataset() {
    }

    /** All rows of the data set {@code config} describes, in {@code config.partitions()} partitions. */
    public static Dataset<Row> generate(SparkSession spark, GenerateConfig config) {
        RowGenerator generator = RowGenerator.of(config);
        return spark.range(0, config.rows(), 1, config.partitions())
                .mapPartitions(generator, Encoders.row(DatasetSchema.SCHEMA));
    }

    /** Computes rows from their ids; holds the data set's parameters, drawn once on the driver. */
    private record RowGenerator(GenerateConfig config, float[][] centres, double[] weights)
            implements MapPartitionsFunction<Long, Row>, Serializable {

        static RowGenerator of(GenerateConfig config) {
            RowRandom parameters = RowRandom.forParameters(config.seed());
            int d = config.features();
            if (config.generator() == GenerateConfig.Generator.REGRESSION) {
                double[] w = new double[d];
                double norm2 = 0;
                for (int j = 0; j < d; j++) {
                    w[j] = parameters.nextGaussian();
                    norm2 += w[j] * w[j];
                }
                double scale = Math.sqrt(config.signalVariance() / norm2);
                for (int j = 0; j < d; j++) {
                    w[j] *= scale;
                }
                return new RowGenerator(config, null, w);
            }
            float[][] centres = new float[config.classes()][d];
            for (float[] centre : centres) {
                for (int j = 0; j < d; j++) {
                    centre[j] = (float) (config.classSeparation() * parameters.nextGaussian());
                }
            }
            return new RowGenerator(config, centres, null);
        }

        @Override
        public Iterator<Row> call(Iterator<Long> ids) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return ids.hasNext();
                }

                @Override
                public Row next() {
                    return row(ids.next());
                }
            };
        }

        Row row(long rowId) {
            RowRandom random = RowRandom.forRow(config.seed(), rowId);
            String split = random.nextDouble() < config.testFraction() ? DatasetSchema.TEST : DatasetSchema.TRAIN;
            int d = config.features();
            float[] x = new float[d];
            double label;
            if (weights != null) {
                double y = 0;
                for (int j = 0; j < d; j++) {
                    x[j] = (float) random.nextGaussian();
                    y += weights[j] * x[j];
                }
                label = y + config.noiseStd() * random.nextGaussian();
            } else {
                int k = (int) (random.nextDouble() * centres.length);
                for (int j = 0; j < d; j++) {
                    x[j] = (float) (centres[k][j] + config.noiseStd() * random.nextGaussian());
                }
                label = k;
            }
            return RowFactory.create(rowId, x, label, split, config.task());
        }
    }
}

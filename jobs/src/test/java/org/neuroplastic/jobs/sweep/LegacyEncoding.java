package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.Encoders;
import org.neuroplastic.jobs.data.DatasetSchema;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.jobs.data.Minibatches.LabeledFeatures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * How parallel mode carried its data before the data went through files: both splits collected to the
 * driver, sorted by row_id, then laid out as TrainingData.decode laid out the broadcast bytes. The
 * reference the files must reproduce exactly.
 */
final class LegacyEncoding {

    private LegacyEncoding() {
    }

    static TrainingData of(LoadedDataset data) {
        int features = data.features();
        int outputs = data.target().outputs();
        boolean classification = data.target().isClassification();
        List<LabeledFeatures> train = collect(data, true);
        List<LabeledFeatures> test = collect(data, false);
        float[][] trainArrays = arrays(train, features, outputs, classification);
        float[][] testArrays = arrays(test, features, outputs, classification);
        return new TrainingData(features, outputs, classification, train.size(), trainArrays[0], trainArrays[1],
                test.size(), testArrays[0], testArrays[1], 0, new float[0], new float[0]);
    }

    private static float[][] arrays(List<LabeledFeatures> rows, int features, int outputs, boolean classification) {
        float[] x = new float[rows.size() * features];
        float[] y = new float[rows.size() * outputs];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r).getFeatures(), 0, x, r * features, features);
            double label = rows.get(r).getLabel();
            if (classification) {
                y[r * outputs + (int) label] = 1f;
            } else {
                y[r] = (float) label;
            }
        }
        return new float[][] {x, y};
    }

    private static List<LabeledFeatures> collect(LoadedDataset data, boolean train) {
        List<LabeledFeatures> rows = new ArrayList<>((train ? data.train() : data.test())
                .select(col(DatasetSchema.ROW_ID).as("rowId"), col(DatasetSchema.FEATURES).as("features"),
                        col(DatasetSchema.LABEL).as("label"))
                .as(Encoders.bean(LabeledFeatures.class))
                .collectAsList());
        rows.sort(Comparator.comparingLong(LabeledFeatures::getRowId));
        return rows;
    }
}

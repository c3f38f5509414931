package org.neuroplastic.jobs.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.config.AugmentationSettings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ImageAugmentationTest {

    /** {@code copies} rows of the same image, and one-hot labels that differ per row. */
    private static DataSet batchOf(float[] image, int copies) {
        float[][] features = new float[copies][];
        float[][] labels = new float[copies][2];
        for (int i = 0; i < copies; i++) {
            features[i] = image.clone();
            labels[i][i % 2] = 1;
        }
        return new DataSet(Nd4j.createFromArray(features), Nd4j.createFromArray(labels));
    }

    private static Set<List<Float>> distinctRows(DataSet batch) {
        Set<List<Float>> rows = new HashSet<>();
        for (float[] row : batch.getFeatures().toFloatMatrix()) {
            List<Float> values = new ArrayList<>();
            for (float v : row) {
                values.add(v);
            }
            rows.add(values);
        }
        return rows;
    }

    private static List<Float> row(float... values) {
        List<Float> list = new ArrayList<>();
        for (float v : values) {
            list.add(v);
        }
        return list;
    }

    @Test
    void horizontalFlipGivesEachImageOrItsMirror() {
        // A 2-row, 3-pixel-wide image and its left-right mirror.
        DataSet batch = batchOf(new float[] {1, 2, 3, 4, 5, 6}, 64);

        DataSet augmented = ImageAugmentation.apply(new AugmentationSettings(3, true, 0), batch, new SplittableRandom(1));

        assertThat(distinctRows(augmented)).containsExactlyInAnyOrder(row(1, 2, 3, 4, 5, 6), row(3, 2, 1, 6, 5, 4));
        assertThat(augmented.getLabels()).isEqualTo(batch.getLabels());
    }

    @Test
    void shiftsMoveEachImageByAtMostMaxShiftPixelsFillingWithZero() {
        DataSet batch = batchOf(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 300);

        DataSet augmented = ImageAugmentation.apply(new AugmentationSettings(3, false, 1), batch, new SplittableRandom(2));

        // The 3x3 image 1..9 moved by (across, down) in {-1, 0, 1}^2; 300 draws miss one of the nine
        // with probability below 1e-14.
        assertThat(distinctRows(augmented)).containsExactlyInAnyOrder(
                row(5, 6, 0, 8, 9, 0, 0, 0, 0), row(4, 5, 6, 7, 8, 9, 0, 0, 0), row(0, 4, 5, 0, 7, 8, 0, 0, 0),
                row(2, 3, 0, 5, 6, 0, 8, 9, 0), row(1, 2, 3, 4, 5, 6, 7, 8, 9), row(0, 1, 2, 0, 4, 5, 0, 7, 8),
                row(0, 0, 0, 2, 3, 0, 5, 6, 0), row(0, 0, 0, 1, 2, 3, 4, 5, 6), row(0, 0, 0, 0, 1, 2, 0, 4, 5));
    }

    @Test
    void theSameRandomDrawsTheSameChangesAndTheBatchIsLeftAsItWas() {
        float[] image = new float[28 * 28];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i % 17) / 17f;
        }
        DataSet batch = batchOf(image, 16);
        AugmentationSettings settings = new AugmentationSettings(28, true, 2);

        DataSet first = ImageAugmentation.apply(settings, batch, new SplittableRandom(9));
        DataSet second = ImageAugmentation.apply(settings, batch, new SplittableRandom(9));
        DataSet other = ImageAugmentation.apply(settings, batch, new SplittableRandom(10));

        assertThat(first.getFeatures()).isEqualTo(second.getFeatures());
        assertThat(other.getFeatures()).isNotEqualTo(first.getFeatures());
        assertThat(first.getFeatures().dataType()).isEqualTo(DataType.FLOAT);
        for (float[] unchanged : batch.getFeatures().toFloatMatrix()) {
            assertThat(unchanged).containsExactly(image);
        }
    }
}

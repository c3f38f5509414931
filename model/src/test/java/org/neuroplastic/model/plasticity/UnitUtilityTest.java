package org.neuroplastic.model.plasticity;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnitUtilityTest {

    private static INDArray row(double... values) {
        return Nd4j.create(values, new long[] {1, values.length});
    }

    private static INDArray matrix(double[][] values) {
        return Nd4j.create(values);
    }

    @Test
    void observeAgesTheUnitsAndMeasuresTheDeviationFromTheBiasCorrectedMean() {
        INDArray age = row(0, 0);
        INDArray mean = row(0, 0);
        INDArray deviation = row(0, 0);
        // Decay 0.5. Batch means of h are (2, 2): mean = 0.5 * 0 + 0.5 * 2 = 1 per unit; age 1, so the
        // bias-corrected mean is 1 / (1 - 0.5) = 2. Unit 0: |1 - 2|, |3 - 2| -> 1; unit 1: |0 - 2|, |4 - 2| -> 2.
        UnitUtility.observe(age, mean, deviation, matrix(new double[][] {{1, 0}, {3, 4}}), 0.5);
        assertArrayEquals(new double[] {1, 1}, age.toDoubleVector());
        assertArrayEquals(new double[] {1, 1}, mean.toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {1, 2}, deviation.toDoubleVector(), 1e-12);
        // A constant output 2: mean = 0.5 * 1 + 0.5 * 2 = 1.5, corrected 1.5 / (1 - 0.25) = 2 exactly, deviation 0.
        UnitUtility.observe(age, mean, deviation, matrix(new double[][] {{2, 2}, {2, 2}}), 0.5);
        assertArrayEquals(new double[] {2, 2}, age.toDoubleVector());
        assertArrayEquals(new double[] {1.5, 1.5}, mean.toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {0, 0}, deviation.toDoubleVector(), 1e-12);
    }

    @Test
    void utilityIsTheRunningAverageOfDeviationTimesOutgoingOverIncomingMagnitude() {
        INDArray utility = row(0.4, 0, 0.7);
        // Incoming W (2 in x 3 units): mean |.| per column 2, 1, 0. Outgoing W' (3 units x 3 out): mean |.| per row 1, 1, 5.
        INDArray incoming = matrix(new double[][] {{1, -2, 0}, {3, 0, 0}});
        INDArray outgoing = matrix(new double[][] {{1, -1, 1}, {0, 3, 0}, {5, 5, -5}});
        // Step utilities 1 * 1 / 2 = 0.5, 2 * 1 / 1 = 2, and 0 for the unit without incoming weights;
        // decay 0.5: 0.5 * 0.4 + 0.5 * 0.5 = 0.45, 0.5 * 0 + 0.5 * 2 = 1, 0.5 * 0.7 + 0 = 0.35.
        UnitUtility.accumulate(utility, row(1, 2, 3), incoming, outgoing, 0.5);
        assertArrayEquals(new double[] {0.45, 1.0, 0.35}, utility.toDoubleVector(), 1e-12);
    }

    @Test
    void matureUnitStepsCountsEachUnitsMatureStepsOfTheRound() {
        // Maturity 100, 3 steps: a unit aged a now was a - j, j = 0, 1, 2 steps ago, mature while a - j > 100.
        // Ages 0 and 100: none; 101: 1 (j = 0); 103.5: 3; 250: 3. Total 7.
        assertEquals(7, UnitUtility.matureUnitSteps(new double[] {0, 100, 101, 103.5, 250}, 100, 3));
        // One step: the units older than 100 now, each once.
        assertEquals(3, UnitUtility.matureUnitSteps(new double[] {0, 100, 101, 103.5, 250}, 100, 1));
    }

    @Test
    void leastUsefulTakesMatureUnitsByBiasCorrectedUtilityTiesToTheLowerIndex() {
        double[] utility = {0.1, 0.05, 0.3, 0.05, 0.01};
        double[] ages = {200, 200, 200, 200, 50};
        // Unit 4 is the least useful but not mature (50 <= 100); units 1 and 3 tie, the lower index first.
        assertArrayEquals(new int[] {1, 3}, UnitUtility.leastUseful(utility, ages, 100, 0.5, 2));
        assertArrayEquals(new int[] {1, 3, 0, 2}, UnitUtility.leastUseful(utility, ages, 100, 0.5, 10));
        // Bias correction: 0.1 / (1 - 0.5^101) ~ 0.1 is below 0.08 / (1 - 0.5^2) = 0.1067.
        assertArrayEquals(new int[] {0}, UnitUtility.leastUseful(new double[] {0.1, 0.08}, new double[] {101, 2}, 1, 0.5, 1));
    }

    @Test
    void settingsNameTheKeyAndTheRange() {
        assertEquals("continual_backprop.replacement_rate must be in [0, 1], found 1.5",
                assertThrows(IllegalArgumentException.class, () -> new ContinualBackpropSettings(1.5, 100, 0.99))
                        .getMessage());
        assertEquals("continual_backprop.maturity_threshold must be >= 1, found 0",
                assertThrows(IllegalArgumentException.class, () -> new ContinualBackpropSettings(1e-4, 0, 0.99))
                        .getMessage());
        assertEquals("continual_backprop.utility_decay must be in [0, 1), found 1.0",
                assertThrows(IllegalArgumentException.class, () -> new ContinualBackpropSettings(1e-4, 100, 1))
                        .getMessage());
    }
}

package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.neuroplastic.jobs.analyze.SweepMetric.Goal.MAXIMIZE;
import static org.neuroplastic.jobs.analyze.SweepMetric.Goal.MINIMIZE;

class ParetoFrontTest {

    /**
     * Accuracy (maximize) against loss (minimize):
     * <pre>
     * a 0.9 0.5   optimal: best accuracy
     * b 0.8 0.2   optimal: nothing more accurate is lower in loss
     * c 0.8 0.2   optimal: ties b, and ties do not dominate
     * d 0.7 0.1   optimal: lowest loss
     * e 0.8 0.3   dominated by b (same accuracy, higher loss)
     * f 0.6 0.6   dominated by all of a-e
     * g 0.9 0.6   dominated by a (same accuracy, higher loss)
     * </pre>
     */
    @Test
    void aTrialIsOptimalUnlessAnotherIsAsGoodOnEveryMetricAndBetterOnOne() {
        Map<String, double[]> points = new LinkedHashMap<>();
        points.put("a", new double[]{0.9, 0.5});
        points.put("b", new double[]{0.8, 0.2});
        points.put("c", new double[]{0.8, 0.2});
        points.put("d", new double[]{0.7, 0.1});
        points.put("e", new double[]{0.8, 0.3});
        points.put("f", new double[]{0.6, 0.6});
        points.put("g", new double[]{0.9, 0.6});

        assertThat(ParetoFront.optimal(points, List.of(MAXIMIZE, MINIMIZE))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void theGoalsDecideTheDirection() {
        Map<String, double[]> points = new LinkedHashMap<>();
        points.put("low", new double[]{1, 1});
        points.put("high", new double[]{2, 2});
        points.put("mixed", new double[]{1, 2});

        assertThat(ParetoFront.optimal(points, List.of(MINIMIZE, MINIMIZE))).containsExactly("low");
        assertThat(ParetoFront.optimal(points, List.of(MAXIMIZE, MAXIMIZE))).containsExactly("high");
        assertThat(ParetoFront.optimal(points, List.of(MINIMIZE, MAXIMIZE))).containsExactly("mixed");
    }

    @Test
    void withOneMetricTheFrontIsTheBestValueWithItsTies() {
        Map<String, double[]> points = new LinkedHashMap<>();
        points.put("t1", new double[]{5});
        points.put("t2", new double[]{4});
        points.put("t3", new double[]{4});

        assertThat(ParetoFront.optimal(points, List.of(MINIMIZE))).containsExactly("t2", "t3");
        assertThat(ParetoFront.optimal(Map.of(), List.of(MINIMIZE))).isEmpty();
        assertThatThrownBy(() -> ParetoFront.optimal(Map.of("x", new double[]{1}), List.of(MINIMIZE, MAXIMIZE)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the vertical marks of a chart over epochs are, as the report's note states them. */
class AnalysisChartsTest {

    private static XYChart curvesToEpoch(int last) {
        XYChart chart = new XYChartBuilder().width(100).height(100).build();
        double[] epochs = new double[last];
        for (int e = 0; e < last; e++) {
            epochs[e] = e + 1;
        }
        chart.addSeries("a", epochs, epochs);
        return chart;
    }

    @Test
    void onlyTheRungsTheCurvesReachAreMarked() {
        // Rungs after epochs 1, 2, 4 of a sweep whose best curves end at epoch 3.
        assertThat(AnalysisCharts.mark(curvesToEpoch(3), Optional.empty(), "epoch", List.of(1, 2, 4), Map.of()))
                .isEqualTo("Dashed vertical lines: early-stopping rungs after epoch 1, 2.");
    }

    @Test
    void sharedTaskBoundariesAreStatedPlainlyAndOthersNameTheirRun() {
        assertThat(AnalysisCharts.mark(curvesToEpoch(6), Optional.of(new TaskBoundaries.Marks("r1", List.of(2.5, 4.5), true)),
                "epoch", List.of(), Map.of("r1", "t1"))).isEqualTo("Dashed vertical lines: task boundaries at epoch 2.5, 4.5.");
        assertThat(AnalysisCharts.mark(curvesToEpoch(6), Optional.of(new TaskBoundaries.Marks("r1", List.of(3.5), false)),
                "epoch", List.of(2), Map.of("r1", "t1"))).isEqualTo("Dashed vertical lines: task boundaries of run t1 (other runs "
                + "drawn switch task elsewhere) at epoch 3.5; early-stopping rungs after epoch 2.");
    }

    @Test
    void nothingToMarkSaysNothing() {
        assertThat(AnalysisCharts.mark(curvesToEpoch(2), Optional.empty(), "epoch", List.of(), Map.of())).isEmpty();
        assertThat(AnalysisCharts.mark(curvesToEpoch(2), Optional.empty(), "epoch", List.of(8), Map.of())).isEmpty();
    }
}

package org.neuroplastic.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JitRunTest {

    @Test
    void cpuSecondsAreTheChildrensUserPlusSystemTimeFromTheSecondLineOfTimes() {
        assertThat(JitRun.childrenCpuSeconds("0m0.004s 0m0.001s\n1m2.500s 0m3.250s\n")).isEqualTo(65.75);
        assertThatThrownBy(() -> JitRun.childrenCpuSeconds("0m0.004s 0m0.001s\n"))
                .hasMessageContaining("two lines of bash's times");
    }

    @Test
    void trainFiguresIgnoreTimesAndRunIdsButNotALossInTheLastDigit() {
        String first = """
                run 20261207-052450-89f16685: 1105 training and 383 held-out examples
                task 1/5, epoch 1/20 done in 0.7 s: held-out (all tasks) loss 18.7654, accuracy 0.5796 (383 examples); round overhead 178 ms
                after task 5/5, held-out accuracy by task:  0: 0.5634  1: 0.5000
                """;
        String sameFigures = first.replace("89f16685", "0000aaaa").replace("0.7 s", "1.9 s").replace("178 ms", "95 ms");
        String otherLoss = first.replace("18.7654", "18.7655");
        String figures = JitJob.CONTINUAL.figures();

        assertThat(JitRun.figures(first, figures, false))
                .isEqualTo("held-out (all tasks) loss 18.7654, accuracy 0.5796\n"
                        + "after task 5/5, held-out accuracy by task:  0: 0.5634  1: 0.5000");
        assertThat(JitRun.figures(sameFigures, figures, false)).isEqualTo(JitRun.figures(first, figures, false));
        assertThat(JitRun.figures(otherLoss, figures, false)).isNotEqualTo(JitRun.figures(first, figures, false));
    }

    @Test
    void sweepFiguresAreTheTrialsInAnyOrderAndTheBestWithoutTheSweepIdOrItsTiming() {
        String first = """
                sweep 20261207-054632-c607222e: 8 trials, 8 to run, parallel mode
                trial t0000 completed after 10 epochs on executor driver: validation_accuracy 1.0
                trial t0001 completed after 10 epochs on executor driver: validation_accuracy 0.9
                sweep 20261207-054632-c607222e: 2 trials, 2 completed, 0 stopped, 0 failed; best t0000 validation_accuracy 1.00000 at epoch 2 ({a=1}); 2 trials run in 20.0 s (6.0 per minute), summed wall_seconds 30.1
                """;
        String second = """
                sweep 20261207-054653-268a5a84: 8 trials, 8 to run, parallel mode
                trial t0001 completed after 10 epochs on executor driver: validation_accuracy 0.9
                trial t0000 completed after 10 epochs on executor driver: validation_accuracy 1.0
                sweep 20261207-054653-268a5a84: 2 trials, 2 completed, 0 stopped, 0 failed; best t0000 validation_accuracy 1.00000 at epoch 2 ({a=1}); 2 trials run in 39.9 s (3.0 per minute), summed wall_seconds 51.0
                """;
        String figures = JitJob.SWEEP.figures();

        assertThat(JitRun.figures(first, figures, true)).isEqualTo(JitRun.figures(second, figures, true))
                .contains("2 trials, 2 completed, 0 stopped, 0 failed; best t0000 validation_accuracy 1.00000 at epoch 2 ({a=1})")
                .doesNotContain("c607222e", "20.0 s", "8 to run");
        assertThat(JitRun.figures(second.replace("accuracy 0.9", "accuracy 0.8"), figures, true))
                .isNotEqualTo(JitRun.figures(first, figures, true));
    }
}

package org.neuroplastic.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepProcessTest {

    private static final String CONSOLE = """
            trial t0015 completed validation_accuracy 0.99
            sweep 20261207-090935-a52c632f: 16 trials, 16 completed, 0 stopped, 0 failed; best t0000 validation_accuracy \
            1.00000 at epoch 5 ({network.hidden.0.plasticity.hebbian.eta=0.001, network.updater.learning_rate=3.0E-4}); \
            16 trials run in 46.2 s (20.8 per minute), summed wall_seconds 78.5, fixed_seconds 3.8 (2.7 before the first \
            trial, 1.2 after the last)
            results in /tmp/out
            """;

    private static final String GC_LOG = """
            [0.012s][info][gc] Using Parallel
            [49.775s][info][gc] GC(37) Pause Young (Allocation Failure) 1438M->458M(1680M) 201.048ms
            [51.340s][info][gc] GC(38) Pause Young (Allocation Failure) 1431M->328M(1494M) 5.004ms
            [48.938s][info][gc] GC(19) Pause Full (Ergonomics) 2229M->313M(2444M) 758.264ms
            """;

    @Test
    void aSweepsTimingIsReadFromItsSummaryLineAndItsJvmsGcLog() {
        SweepProcess.Timing timing = SweepProcess.Timing.of(CONSOLE, GC_LOG, "console");

        assertEquals(new SweepProcess.Timing(16, "t0000", 46.2, 78.5, 3.8, (201.048 + 5.004 + 758.264) / 1000), timing);
        assertEquals(60 * 16 / 46.2, timing.trialsPerMinute(), 1e-12);
    }

    @Test
    void aSweepWithATrialThatDidNotCompleteIsRefusedNamingItsConsole() {
        String failed = CONSOLE.replace("16 completed, 0 stopped, 0 failed", "15 completed, 0 stopped, 1 failed");

        IllegalStateException refusal = assertThrows(IllegalStateException.class,
                () -> SweepProcess.Timing.of(failed, "", "/tmp/x.log"));
        assertTrue(refusal.getMessage().contains("15 of 16") && refusal.getMessage().contains("/tmp/x.log"),
                refusal.getMessage());
    }

    @Test
    void aConsoleWithoutTheSummaryLineIsRefused() {
        assertThrows(IllegalStateException.class, () -> SweepProcess.Timing.of("error: no such file\n", "", "c"));
    }

    @Test
    void twoSweepsAtOnceCountAllTheirTrialsOverTheLastOnesWallTime() {
        ParallelSweepBenchmark.Run two = new ParallelSweepBenchmark.Run(List.of(
                new SweepProcess.Timing(16, "t0000", 80.0, 64.0, 4.0, 8.0),
                new SweepProcess.Timing(16, "t0000", 96.0, 80.0, 6.0, 24.0)));

        assertEquals(60.0 * 32 / 96.0, two.trialsPerMinute(), 1e-12);
        assertEquals((64.0 + 80.0) / 32, two.trialSeconds(), 1e-12);
        assertEquals(6.0, two.fixedSeconds(), 0);
        assertEquals((8.0 / 80 + 24.0 / 96) / 2, two.gcPauseShare(), 1e-12);
    }
}

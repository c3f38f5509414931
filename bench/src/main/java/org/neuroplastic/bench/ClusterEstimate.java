package org.neuroplastic.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a round would cost on a cluster with one single-core executor per worker, from what this machine
 * measured with a task per worker ({@code training.workers_per_task} 1, as such a cluster runs them): the
 * executors' work runs there in one wave instead of N / cores waves, so a round is the driver's share (fitted as {@code a + b*N + c*N*P} over the measured {@code driver_ms}), one worker's task (fitted
 * as {@code e + f*P} over the measured task time per worker), and the state's transfers at the network's line
 * rate: every executor receives the broadcast state, sends its shards and receives one shard from every
 * worker (a worker's state in all), and the driver receives the averaged state, each {@code 12 P} bytes with
 * Adam (parameters and two moments, 4 bytes a value), the slowest three of them in sequence on one link.
 * An estimate, not a measurement: it leaves out contention on the network and slower cluster disks.
 */
final class ClusterEstimate {

    /** 10 GbE at line rate. */
    static final double BYTES_PER_SECOND = 1.25e9;
    private static final int STATE_BYTES_PER_PARAMETER = 12;
    private static final int TRANSFERS = 3;

    private ClusterEstimate() {
    }

    static void print(PrintStream out, List<ScalingMeasurement> measured, int[] workers, long parameters) {
        List<ScalingFit.Point> driver = new ArrayList<>();
        for (ScalingMeasurement m : measured) {
            driver.add(new ScalingFit.Point(m.workers(), m.parameters(), m.driverMs()));
        }
        ScalingFit driverFit;
        try {
            driverFit = ScalingFit.of(driver);
        } catch (IllegalArgumentException e) {
            out.println("cluster_estimate: not computed: " + e.getMessage());
            return;
        }
        double[] task = linear(measured);
        if (task == null) {
            out.println("cluster_estimate: not computed: the task time per worker needs two parameter counts");
            return;
        }
        out.printf(Locale.ROOT, "cluster_estimate: round_ms = driver_ms(N, P) + task_ms(P) + %d x %d P bytes / %.2e "
                + "bytes/s (one single-core executor per worker, 10 GbE at line rate)%n", TRANSFERS,
                STATE_BYTES_PER_PARAMETER, BYTES_PER_SECOND);
        out.printf(Locale.ROOT, "cluster_estimate_driver_ms: %.3f + %.4f*N + %.4e*N*P%n", driverFit.a(), driverFit.b(),
                driverFit.c());
        out.printf(Locale.ROOT, "cluster_estimate_task_ms: %.3f + %.4e*P%n", task[0], task[1]);
        for (int n : workers) {
            double transferMs = 1000.0 * TRANSFERS * STATE_BYTES_PER_PARAMETER * parameters / BYTES_PER_SECOND;
            double driverMs = driverFit.predict(n, parameters);
            double taskMs = task[0] + task[1] * parameters;
            out.printf(Locale.ROOT, "cluster_estimate_round_ms N=%d P=%d: %.0f (driver %.0f, task %.0f, transfer %.0f)%n",
                    n, parameters, driverMs + taskMs + transferMs, driverMs, taskMs, transferMs);
        }
    }

    /** Least squares of the task time per worker against P: {e, f}, or null without two distinct P. */
    static double[] linear(List<ScalingMeasurement> measured) {
        int n = measured.size();
        double meanX = 0;
        double meanY = 0;
        for (ScalingMeasurement m : measured) {
            meanX += m.parameters();
            meanY += m.taskMsPerWorker();
        }
        meanX /= n;
        meanY /= n;
        double sxx = 0;
        double sxy = 0;
        for (ScalingMeasurement m : measured) {
            double dx = m.parameters() - meanX;
            sxx += dx * dx;
            sxy += dx * (m.taskMsPerWorker() - meanY);
        }
        if (n < 2 || sxx == 0) {
            return null;
        }
        double slope = sxy / sxx;
        return new double[] {meanY - slope * meanX, slope};
    }
}

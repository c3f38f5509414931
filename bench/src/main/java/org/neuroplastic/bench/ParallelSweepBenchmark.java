package org.neuroplastic.bench;

import org.apache.hadoop.conf.Configuration;
import org.neuroplastic.jobs.storage.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Issue 21's parallel-mode goal, side by side: the sweep of {@code conf/sweep-parallel-goal.yaml} (16 trials in
 * parallel mode) as one {@code local[1]} process, as one {@code local[2]} process, and as two {@code local[1]}
 * processes at once. The last is two copies of the same work that share nothing but the machine (each its own
 * JVM, collector, JIT and native allocator): what two cores of this machine give this work when nothing in one
 * process can slow the other, so the ceiling that {@code local[2]}'s two trials in flight can be held to here.
 * The arrangements rotate from repeat to repeat, so that a drift in the machine's load falls on all three.
 */
@Command(name = "benchmark parallel-sweep", sortOptions = false,
        description = "Trials per minute of a parallel-mode sweep on one and two cores, and of two one-core sweeps at once.")
public final class ParallelSweepBenchmark extends BenchmarkCommand {

    static final String CONFIG = "conf/sweep-parallel-goal.yaml";

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
            description = "Runs of each arrangement (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs of every trial (default: the configuration's).")
    Integer epochs;

    /** How the sweep is run. */
    enum Arrangement {
        LOCAL1("local1", "one sweep on local[1]", "local[1]", 1),
        LOCAL2("local2", "one sweep on local[2]", "local[2]", 1),
        TWO_PROCESSES("two_processes", "two local[1] sweeps at once, each in its own JVM", "local[1]", 2);

        final String label;
        final String description;
        final String master;
        final int processes;

        Arrangement(String label, String description, String master, int processes) {
            this.label = label;
            this.description = description;
            this.master = master;
            this.processes = processes;
        }
    }

    /** One run of an arrangement: its processes' timings, started together. */
    record Run(List<SweepProcess.Timing> sweeps) {

        /** All the trials over the time the last process took: processes start together. */
        double trialsPerMinute() {
            int trials = sweeps.stream().mapToInt(SweepProcess.Timing::trials).sum();
            return 60 * trials / sweeps.stream().mapToDouble(SweepProcess.Timing::wallSeconds).max().orElseThrow();
        }

        /** A trial's mean wall time: how much a trial slows down with another in flight. */
        double trialSeconds() {
            return sweeps.stream().mapToDouble(SweepProcess.Timing::summedTrialSeconds).sum()
                    / sweeps.stream().mapToInt(SweepProcess.Timing::trials).sum();
        }

        double fixedSeconds() {
            return sweeps.stream().mapToDouble(SweepProcess.Timing::fixedSeconds).max().orElseThrow();
        }

        /** The share of a process's wall time its JVM was stopped for garbage collection (mean over processes). */
        double gcPauseShare() {
            return sweeps.stream().mapToDouble(s -> s.gcPauseSeconds() / s.wallSeconds()).average().orElseThrow();
        }
    }

    public static void main(String[] args) {
        BenchmarkCommandLine.main(new ParallelSweepBenchmark(), args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (repeats < 1 || (epochs != null && epochs < 1)) {
            throw badArgument("--repeats and --epochs take positive whole numbers, found " + repeats + " and " + epochs);
        }
        Path checkout = BenchmarkProvenance.checkout();
        Path launcher = checkout.resolve("bin/neuroplastic");
        if (!Files.isExecutable(launcher)) {
            throw badArgument("no executable bin/neuroplastic in " + checkout);
        }
        List<String> settings = epochs == null ? List.of() : List.of("base.training.epochs=" + epochs);
        System.out.println("parallel-sweep: trials per minute of a parallel-mode sweep on one and two cores, and of two "
                + "one-core sweeps at once");
        BenchmarkProvenance.of(checkout).print(System.out);
        System.out.println("sweep: " + CONFIG + (epochs == null ? "" : " with " + epochs + " epochs a trial")
                + ", each sweep a bin/neuroplastic process; arrangements rotate from repeat to repeat");
        for (Arrangement arrangement : Arrangement.values()) {
            System.out.println("arrangement " + arrangement.label + ": " + arrangement.description);
        }
        System.out.println("trials_per_minute: the trials of the arrangement's sweeps over the wall time of the last to end "
 + "(process start to exit); trial_s: a trial's mean wall_seconds; fixed_s: the sweep's fixed_seconds; "
                + "gc_pause_share: the share of a process's wall time its JVM was stopped by the collector (-Xlog:gc)");
        Path scratch = Files.createTempDirectory("parallel-sweep-benchmark");
        System.out.println("warm-up: one untimed local[2] sweep (the first run after a build writes the class-data archive)");
        SweepProcess.start(launcher, CONFIG, "local[2]", settings, scratch.resolve("warm-up")).finish();
        Map<Arrangement, List<Run>> runs = new EnumMap<>(Arrangement.class);
        Arrangement[] all = Arrangement.values();
        for (int r = 0; r < repeats; r++) {
            for (int k = 0; k < all.length; k++) {
                Arrangement arrangement = all[(r + k) % all.length];
                Run run = run(launcher, arrangement, settings, scratch.resolve(arrangement.label + "-" + r));
                runs.computeIfAbsent(arrangement, a -> new ArrayList<>()).add(run);
                System.out.printf(Locale.ROOT, "repeat %d %s: trials_per_minute %.1f trial_s %.2f fixed_s %.1f "
                                + "gc_pause_share %.3f%n", r, arrangement.label, run.trialsPerMinute(), run.trialSeconds(),
                        run.fixedSeconds(), run.gcPauseShare());
            }
        }
        report(runs);
        // The sweeps' outputs and consoles: kept only when a sweep failed (its error names its console).
        Storage storage = Storage.of(new Configuration());
        storage.delete(storage.locate(scratch.toUri().toString()));
        return 0;
    }

    private static Run run(Path launcher, Arrangement arrangement, List<String> settings, Path out)
            throws IOException, InterruptedException {
        List<SweepProcess> processes = new ArrayList<>();
        for (int p = 0; p < arrangement.processes; p++) {
            processes.add(SweepProcess.start(launcher, CONFIG, arrangement.master, settings, Path.of(out + "-" + p)));
        }
        List<SweepProcess.Timing> timings = new ArrayList<>();
        for (SweepProcess process : processes) {
            timings.add(process.finish());
        }
        return new Run(timings);
    }

    static void report(Map<Arrangement, List<Run>> runs) {
        for (Arrangement arrangement : Arrangement.values()) {
            List<Run> of = runs.get(arrangement);
            System.out.printf(Locale.ROOT, "%s median trials_per_minute %.1f trial_s %.2f fixed_s %.1f gc_pause_share %.3f%n",
                    arrangement.label, median(of, Run::trialsPerMinute), median(of, Run::trialSeconds),
                    median(of, Run::fixedSeconds), median(of, Run::gcPauseShare));
        }
        double local1 = median(runs.get(Arrangement.LOCAL1), Run::trialsPerMinute);
        double local2 = median(runs.get(Arrangement.LOCAL2), Run::trialsPerMinute);
        double twoProcesses = median(runs.get(Arrangement.TWO_PROCESSES), Run::trialsPerMinute);
        System.out.printf(Locale.ROOT, "local2_vs_local1: %.3f (goal >= 1.8)%n", local2 / local1);
        System.out.printf(Locale.ROOT, "two_processes_vs_local1: %.3f (two copies of the work sharing only the machine)%n",
                twoProcesses / local1);
        System.out.printf(Locale.ROOT, "local2_vs_two_processes: %.3f%n", local2 / twoProcesses);
        List<String> best = runs.values().stream().flatMap(List::stream).flatMap(run -> run.sweeps().stream())
                .map(SweepProcess.Timing::bestTrial).distinct().toList();
        System.out.println("same best trial in every sweep: " + (best.size() == 1 ? "yes (" + best.get(0) + ")" : "NO " + best));
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
        return Quartiles.of(runs.stream().mapToDouble(value).toArray()).median();
    }
}

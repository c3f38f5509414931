package org.neuroplastic.bench;

import org.apache.hadoop.conf.Configuration;
import org.neuroplastic.jobs.storage.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What HotSpot's just-in-time compilers cost the jobs: each job run by {@code bin/neuroplastic} in a process of
 * its own with the client compiler alone ({@code NEUROPLASTIC_JIT=c1}, the launcher's default) and with HotSpot's
 * default tiered compilation ({@code tiered}), alternating (c1 first in even repeats, tiered first in odd ones,
 * so that a drift in the machine's load falls on both). For each job: the wall and CPU seconds of every run, the
 * ratios of their medians (c1 / tiered), and whether both modes printed the same figures. CPU seconds are the
 * process's user and system time as its parent saw it when it ended ({@code times}), which other work on the
 * machine changes much less than the wall time.
 */
@Command(name = "benchmark jit", sortOptions = false,
        description = "Jobs with the client compiler alone against HotSpot's tiered compilation: wall and CPU time.")
public final class JitBenchmark extends BenchmarkCommand {

    @Option(names = "--jobs", paramLabel = "JOB", split = ",", defaultValue = "sweep,continual,fashion-mnist", converter = JitJob.Converter.class,
            description = "Jobs to run, of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    List<JitJob> jobs;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "2",
            description = "Runs of each job in each mode (default: ${DEFAULT-VALUE}).")
    int repeats;

    public static void main(String[] args) {
        BenchmarkCommandLine.main(new JitBenchmark(), args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (repeats < 1) {
            throw badArgument("--repeats takes a positive whole number, found " + repeats);
        }
        Path checkout = BenchmarkProvenance.checkout();
        Path launcher = checkout.resolve("bin/neuroplastic");
        if (!Files.isExecutable(launcher)) {
            throw badArgument("no executable bin/neuroplastic in " + checkout);
        }
        System.out.println("jit: jobs with the client compiler alone (c1, -XX:TieredStopAtLevel=1) against HotSpot's "
                + "tiered compilation (tiered)");
        BenchmarkProvenance.of(checkout).print(System.out);
        System.out.println("each job a bin/neuroplastic process; wall_s and cpu_s (user + system) per run, "
                + "modes alternating; ratio: median c1 / median tiered");
        Path scratch = Files.createTempDirectory("jit-benchmark");
        System.out.println("warm-up: one untimed run of " + jobs.get(0).commandName()
                + " (the first run after a build writes the class-data archive)");
        JitRun.run(launcher, jobs.get(0), "c1", scratch.resolve("warm-up"));
        for (JitJob job : jobs) {
            Map<String, List<JitRun>> runs = new LinkedHashMap<>();
            runs.put("c1", new ArrayList<>());
            runs.put("tiered", new ArrayList<>());
            for (int r = 0; r < repeats; r++) {
                List<String> order = r % 2 == 0 ? List.of("c1", "tiered") : List.of("tiered", "c1");
                for (String mode : order) {
                    runs.get(mode).add(JitRun.run(launcher, job, mode, scratch.resolve(job.commandName() + "-" + mode + "-" + r)));
                }
            }
            print(job, runs);
        }
        // The jobs' outputs and consoles: kept only when a job failed (its error names its console).
        Storage storage = Storage.of(new Configuration());
        storage.delete(storage.locate(scratch.toUri().toString()));
        return 0;
    }

    private static void print(JitJob job, Map<String, List<JitRun>> runs) {
        List<JitRun> c1 = runs.get("c1");
        List<JitRun> tiered = runs.get("tiered");
        System.out.printf(Locale.ROOT, "%s: %s%n", job.commandName(), job.description());
        System.out.printf(Locale.ROOT, "  wall_s c1=%s tiered=%s ratio=%.3f%n", list(c1, JitRun::wallSeconds),
                list(tiered, JitRun::wallSeconds), median(c1, JitRun::wallSeconds) / median(tiered, JitRun::wallSeconds));
        System.out.printf(Locale.ROOT, "  cpu_s c1=%s tiered=%s ratio=%.3f%n", list(c1, JitRun::cpuSeconds),
                list(tiered, JitRun::cpuSeconds), median(c1, JitRun::cpuSeconds) / median(tiered, JitRun::cpuSeconds));
        if (c1.stream().noneMatch(run -> Double.isNaN(run.fixedSeconds()))) {
            System.out.printf(Locale.ROOT, "  fixed_s c1=%s tiered=%s%n", list(c1, JitRun::fixedSeconds),
                    list(tiered, JitRun::fixedSeconds));
        }
        String reference = c1.get(0).figures();
        boolean same = runs.values().stream().flatMap(List::stream).allMatch(run -> run.figures().equals(reference));
        System.out.printf(Locale.ROOT, "  same figures in every run: %s (%s)%n", same ? "yes" : "NO", job.figuresCompared());
    }

    private static String list(List<JitRun> runs, ToDoubleFunction<JitRun> value) {
        return String.join(",", runs.stream().map(run -> String.format(Locale.ROOT, "%.1f", value.applyAsDouble(run))).toList());
    }

    private static double median(List<JitRun> runs, ToDoubleFunction<JitRun> value) {
        return Quartiles.of(runs.stream().mapToDouble(value).toArray()).median();
    }
}

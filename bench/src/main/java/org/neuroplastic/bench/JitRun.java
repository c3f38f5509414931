package org.neuroplastic.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One job run by {@link JitBenchmark}: its wall and CPU seconds, the sweep's {@code fixed_seconds} (NaN for
 * other jobs) and the figures its console printed.
 */
record JitRun(double wallSeconds, double cpuSeconds, double fixedSeconds, String figures) {

    /** bash's {@code times}: the shell's user and system time, then its children's, each as {@code 1m2.345s}. */
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");
    private static final Pattern FIXED = Pattern.compile("fixed_seconds ([\\d.]+)");

    /**
     * Runs {@code job} with {@code NEUROPLASTIC_JIT=mode} under a bash that prints, once the job has ended, the
     * CPU time of its children (the launcher and the JVM it runs, whether it execs it or waits for it); the
     * job's console goes to {@code scratch}.log and its output to {@code scratch}.
     */
    static JitRun run(Path launcher, JitJob job, String mode, Path scratch) throws IOException, InterruptedException {
        Path console = Path.of(scratch + ".log");
        List<String> command = new ArrayList<>(List.of("bash", "-c",
                "\"$@\" > \"$JIT_CONSOLE\" 2>&1; status=$?; times; exit $status", "jit", launcher.toString()));
        command.addAll(job.arguments());
        command.addAll(List.of("--out", scratch.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(launcher.getParent().getParent().toFile());
        builder.environment().put("NEUROPLASTIC_JIT", mode);
        builder.environment().put("JIT_CONSOLE", console.toString());
        builder.redirectErrorStream(true);
        long start = System.nanoTime();
        Process process = builder.start();
        String times = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        double wall = (System.nanoTime() - start) / 1e9;
        String output = Files.readString(console);
        if (status != 0) {
            throw new IllegalStateException(job + " (" + mode + ") exited with " + status + "; its console: " + console);
        }
        Matcher fixed = FIXED.matcher(output);
        return new JitRun(wall, childrenCpuSeconds(times), fixed.find() ? Double.parseDouble(fixed.group(1)) : Double.NaN,
                figures(output, job.figures(), job.figuresInAnyOrder()));
    }

    /** The children's user plus system seconds from the second line {@code times} printed. */
    static double childrenCpuSeconds(String times) {
        List<String> lines = times.lines().filter(line -> TIMES.matcher(line).matches()).toList();
        if (lines.size() != 2) {
            throw new IllegalStateException("expected the two lines of bash's times, found: " + times);
        }
        Matcher children = TIMES.matcher(lines.get(1));
        children.matches();
        return 60 * Double.parseDouble(children.group(1)) + Double.parseDouble(children.group(2))
                + 60 * Double.parseDouble(children.group(3)) + Double.parseDouble(children.group(4));
    }

    /** Every match of {@code figures} in the console, one a line, in order or {@code sorted}. */
    static String figures(String console, String figures, boolean sorted) {
        Matcher matcher = Pattern.compile(figures, Pattern.MULTILINE).matcher(console);
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group());
        }
        if (sorted) {
            found.sort(null);
        }
        return String.join("\n", found);
    }
}

package org.neuroplastic.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code bin/neuroplastic sweep} process of {@link ParallelSweepBenchmark}, started with its console in a
 * file, and the timing its last line printed ({@code SweepSummary.describe(processStart, now)}).
 */
final class SweepProcess {

    private static final Pattern SUMMARY = Pattern.compile("(\\d+) trials, (\\d+) completed.*; best (\\S+) .*; "
            + "(\\d+) trials run in ([\\d.]+) s \\(([\\d.]+) per minute\\), summed wall_seconds ([\\d.]+), "
            + "fixed_seconds ([\\d.]+)");

    /** A stop-the-world pause in the JVM's unified GC log ({@code -Xlog:gc}): its milliseconds end the line. */
    private static final Pattern PAUSE = Pattern.compile("\\] GC\\(\\d+\\) Pause .* ([\\d.]+)ms$", Pattern.MULTILINE);

    /**
     * What a finished sweep printed: its trials, their best, and the times of {@code SweepSummary}; and the
     * seconds its JVM was stopped for garbage collection, when no task ran.
     */
    record Timing(int trials, String bestTrial, double wallSeconds, double summedTrialSeconds, double fixedSeconds,
                  double gcPauseSeconds) {

        double trialsPerMinute() {
            return 60 * trials / wallSeconds;
        }

        /** Reads the summary line of a sweep's console; a sweep with a trial that did not complete is refused. */
        static Timing of(String console, String gcLog, String where) {
            Matcher line = SUMMARY.matcher(console);
            if (!line.find()) {
                throw new IllegalStateException("no sweep summary line with fixed_seconds in " + where);
            }
            if (!line.group(1).equals(line.group(2))) {
                throw new IllegalStateException("a trial did not complete (" + line.group(2) + " of " + line.group(1)
                        + ") in " + where);
            }
            return new Timing(Integer.parseInt(line.group(4)), line.group(3), Double.parseDouble(line.group(5)),
                    Double.parseDouble(line.group(7)), Double.parseDouble(line.group(8)), pauseSeconds(gcLog));
        }

        /** The summed pauses of a unified GC log. */
        static double pauseSeconds(String gcLog) {
            Matcher pause = PAUSE.matcher(gcLog);
            double ms = 0;
            while (pause.find()) {
                ms += Double.parseDouble(pause.group(1));
            }
            return ms / 1000;
        }
    }

    private final Process process;
    private final Path console;
    private final Path gcLog;

    private SweepProcess(Process process, Path console, Path gcLog) {
        this.process = process;
        this.console = console;
        this.gcLog = gcLog;
    }

    /**
     * Starts {@code launcher sweep --config config --master master --out out [--set ...]}, its console in
     * {@code out}.log and its JVM's GC log in {@code out}.gc.log (added to any NEUROPLASTIC_JAVA_OPTS).
     */
    static SweepProcess start(Path launcher, String config, String master, List<String> settings, Path out)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "sweep", "--config", config,
                "--master", master, "--out", out.toString()));
        for (String setting : settings) {
            command.addAll(List.of("--set", setting));
        }
        Path console = Path.of(out + ".log");
        Path gcLog = Path.of(out + ".gc.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(launcher.getParent().getParent().toFile())
                .redirectErrorStream(true).redirectOutput(console.toFile());
        String options = builder.environment().getOrDefault("NEUROPLASTIC_JAVA_OPTS", "");
        builder.environment().put("NEUROPLASTIC_JAVA_OPTS", (options + " -Xlog:gc:file=" + gcLog).strip());
        return new SweepProcess(builder.start(), console, gcLog);
    }

    /** Waits for the sweep to end and reads its timing; a failed sweep names its console. */
    Timing finish() throws IOException, InterruptedException {
        int status = process.waitFor();
        if (status != 0) {
            throw new IllegalStateException("a sweep exited with " + status + "; its console: " + console);
        }
        return Timing.of(Files.readString(console), Files.readString(gcLog), console.toString());
    }
}

package org.neuroplastic.bench;

import org.neuroplastic.jobs.results.SoftwareVersions;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a benchmark's figures were measured on, printed as one block of {@code name: value} lines before
 * them: a figure in the docs must say its date, commit and hardware (the project's rule for honest
 * results), and the load average tells how much of the machine other work was using when it began.
 *
 * @param fields the block's lines, in print order; every value is non-empty ("unknown (why)" when not found)
 */
record BenchmarkProvenance(Map<String, String> fields) {

    /** The system property bin/benchmark sets to the checkout it runs from. */
    static final String CHECKOUT_PROPERTY = "neuroplastic.home";
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    BenchmarkProvenance {
        fields.forEach((name, value) -> {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("provenance field " + name + " must have a value, found '"
                        + value + "'");
            }
        });
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The checkout bin/benchmark runs from ({@value #CHECKOUT_PROPERTY}), else the working folder. */
    static Path checkout() {
        return Path.of(System.getProperty(CHECKOUT_PROPERTY, "."));
    }

    /** This JVM and machine now, with the commit of {@code checkout}. */
    static BenchmarkProvenance of(Path checkout) {
        Map<String, String> versions = SoftwareVersions.current();
        Runtime runtime = Runtime.getRuntime();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("date_utc", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        fields.put("git_commit", gitCommit(checkout));
        fields.put("neuroplastic", versions.get("neuroplastic"));
        fields.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        fields.put("spark", versions.get("spark"));
        fields.put("scala", versions.get("scala"));
        fields.put("deeplearning4j", versions.get("deeplearning4j"));
        fields.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        fields.put("cpu_model", cpuModel(CPU_INFO));
        fields.put("cores", String.valueOf(runtime.availableProcessors()));
        fields.put("max_heap_mb", String.valueOf(runtime.maxMemory() >> 20));
        fields.put("load_average", loadAverage());
        return new BenchmarkProvenance(fields);
    }

    void print(PrintStream out) {
        fields.forEach((name, value) -> out.println(name + ": " + value));
    }

    /** The one-minute system load average, or why there is none (the JVM returns a negative value then). */
    static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown (not available on this system)" : String.format(Locale.ROOT, "%.2f", load);
    }

    /** HEAD of the git checkout {@code folder}, marked when tracked files have uncommitted changes. */
    static String gitCommit(Path folder) {
        try {
            String head = git(folder, "rev-parse", "HEAD");
            String changes = git(folder, "status", "--porcelain", "--untracked-files=no");
            return head == null ? "unknown (not run from a git checkout)"
                    : head + (changes == null || changes.isEmpty() ? "" : " (with uncommitted changes)");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }

    /** The first {@code model name} of a Linux {@code /proc/cpuinfo}. */
    static String cpuModel(Path cpuInfo) {
        try {
            return Files.readAllLines(cpuInfo, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .filter(model -> !model.isEmpty())
                    .findFirst().orElse("unknown (no model name in " + cpuInfo + ")");
        } catch (IOException e) {
            return "unknown (" + cpuInfo + " not readable)";
        }
    }

    private static String git(Path folder, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", folder.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroy();
            return null;
        }
        return output;
    }
}

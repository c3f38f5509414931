package org.neuroplastic.jobs.results;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
 * What a printed figure was measured on, as {@code name: value} lines: date, commit, software and hardware.
 * The project's rule for honest results is that every number in the docs says its date, commit and hardware;
 * the benchmarks print these lines before their figures and {@code analyze} heads its Markdown tables with
 * them, so both say it the same way. The load average tells how much of the machine other work was using.
 *
 * @param fields the lines, in print order; every value is non-empty ("unknown (why)" when not found)
 */
public record MachineProvenance(Map<String, String> fields) {

    /** The system property bin/benchmark and bin/neuroplastic set to the checkout they run from. */
    public static final String CHECKOUT_PROPERTY = "neuroplastic.home";
    /** Where Linux names the processor. */
    public static final String CPU_INFO = "/proc/cpuinfo";

    public MachineProvenance {
        fields.forEach((name, value) -> {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("provenance field " + name + " must have a value, found '"
                        + value + "'");
            }
        });
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The checkout the launcher runs from ({@value #CHECKOUT_PROPERTY}), else the working folder. */
    public static String checkout() {
        return System.getProperty(CHECKOUT_PROPERTY, ".");
    }

    /** This JVM and machine now, with the commit of {@code checkout} and the processor {@code cpuModel}. */
    public static MachineProvenance of(String checkout, String cpuModel) {
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
        fields.put("cpu_model", cpuModel);
        fields.put("cores", String.valueOf(runtime.availableProcessors()));
        fields.put("max_heap_mb", String.valueOf(runtime.maxMemory() >> 20));
        fields.put("load_average", loadAverage());
        return new MachineProvenance(fields);
    }

    /** The block, one {@code name: value} line each. */
    public List<String> lines() {
        return fields.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }

    /** The one-minute system load average, or why there is none (the JVM returns a negative value then). */
    public static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown (not available on this system)" : String.format(Locale.ROOT, "%.2f", load);
    }

    /**
     * The processor of this machine, from {@value #CPU_INFO}. Read with java.io, not through Storage: it is the
     * kernel's interface, not a user's file, and Hadoop's local file system fails on it ("Invalid argument",
     * Hadoop 3.3.4, seen 2026-12-06), checksummed or raw.
     */
    public static String cpuModel() {
        try (InputStream in = new FileInputStream(CPU_INFO)) {
            return cpuModel(new String(in.readAllBytes(), StandardCharsets.UTF_8), CPU_INFO);
        } catch (IOException e) {
            return "unknown (" + CPU_INFO + " not readable: " + e.getMessage() + ")";
        }
    }

    /** The first {@code model name} of a Linux {@code /proc/cpuinfo}'s text, read from {@code source}. */
    public static String cpuModel(String cpuInfo, String source) {
        return cpuInfo.lines()
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .filter(model -> !model.isEmpty())
                .findFirst().orElse("unknown (no model name in " + source + ")");
    }

    /** HEAD of the git checkout {@code folder}, marked when tracked files have uncommitted changes. */
    public static String gitCommit(String folder) {
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

    private static String git(String folder, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", new File(folder).getPath()));
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

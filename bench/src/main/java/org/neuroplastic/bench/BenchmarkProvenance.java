package org.neuroplastic.bench;

import org.neuroplastic.jobs.results.MachineProvenance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a benchmark's figures were measured on, printed as one block of {@code name: value} lines before
 * them: {@link MachineProvenance}'s lines, the ones {@code analyze} heads its Markdown tables with, so that
 * both say date, commit and hardware the same way (the project's rule for honest results).
 *
 * @param fields the block's lines, in print order; every value is non-empty ("unknown (why)" when not found)
 */
record BenchmarkProvenance(Map<String, String> fields) {

    private static final Path CPU_INFO = Path.of(MachineProvenance.CPU_INFO);

    BenchmarkProvenance {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(new MachineProvenance(fields).fields()));
    }

    /** The checkout bin/benchmark runs from ({@value MachineProvenance#CHECKOUT_PROPERTY}), else the working folder. */
    static Path checkout() {
        return Path.of(MachineProvenance.checkout());
    }

    /** This JVM and machine now, with the commit of {@code checkout}. */
    static BenchmarkProvenance of(Path checkout) {
        return new BenchmarkProvenance(MachineProvenance.of(checkout.toString(), cpuModel(CPU_INFO)).fields());
    }

    void print(PrintStream out) {
        fields.forEach((name, value) -> out.println(name + ": " + value));
    }

    static String loadAverage() {
        return MachineProvenance.loadAverage();
    }

    static String gitCommit(Path folder) {
        return MachineProvenance.gitCommit(folder.toString());
    }

    /** The first {@code model name} of a Linux {@code /proc/cpuinfo}. */
    static String cpuModel(Path cpuInfo) {
        try {
            return MachineProvenance.cpuModel(Files.readString(cpuInfo, StandardCharsets.UTF_8), cpuInfo.toString());
        } catch (IOException e) {
            return "unknown (" + cpuInfo + " not readable)";
        }
    }
}

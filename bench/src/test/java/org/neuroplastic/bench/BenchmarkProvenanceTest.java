package org.neuroplastic.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchmarkProvenanceTest {

    @Test
    void printsEveryFieldWithAValueBeforeTheFigures(@TempDir Path folder) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BenchmarkProvenance.of(folder).print(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).extracting(line -> line.substring(0, line.indexOf(": "))).containsExactly("date_utc",
                "git_commit", "neuroplastic", "java", "spark", "scala", "deeplearning4j", "os", "cpu_model", "cores",
                "max_heap_mb", "load_average");
        assertThat(lines).allSatisfy(line -> assertThat(line.substring(line.indexOf(": ") + 2)).as(line).isNotBlank());
        assertThat(lines).contains("cores: " + Runtime.getRuntime().availableProcessors(),
                "spark: " + org.apache.spark.package$.MODULE$.SPARK_VERSION());
        assertThat(lines.get(0)).matches("date_utc: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @Test
    void readsTheCommitOfTheCheckoutItIsGiven(@TempDir Path folder) throws Exception {
        git(folder, "init", "-q");
        Files.writeString(folder.resolve("a.txt"), "one\n");
        git(folder, "add", "a.txt");
        git(folder, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", "first");
        String head = git(folder, "rev-parse", "HEAD");

        assertThat(head).matches("[0-9a-f]{40}");
        assertThat(BenchmarkProvenance.gitCommit(folder)).isEqualTo(head);

        Files.writeString(folder.resolve("a.txt"), "two\n");
        assertThat(BenchmarkProvenance.gitCommit(folder)).isEqualTo(head + " (with uncommitted changes)");
    }

    @Test
    void saysSoWhenTheFolderIsNoCheckout(@TempDir Path folder) {
        assertThat(BenchmarkProvenance.gitCommit(folder)).isEqualTo("unknown (not run from a git checkout)");
    }

    @Test
    void readsTheFirstCpuModelOrSaysWhyNot(@TempDir Path folder) throws IOException {
        Path cpuInfo = folder.resolve("cpuinfo");
        Files.writeString(cpuInfo, "processor\t: 0\nmodel name\t: Example CPU @ 2.0GHz\n\nprocessor\t: 1\n"
                + "model name\t: Example CPU @ 2.0GHz\n");

        assertThat(BenchmarkProvenance.cpuModel(cpuInfo)).isEqualTo("Example CPU @ 2.0GHz");
        assertThat(BenchmarkProvenance.cpuModel(folder.resolve("missing"))).startsWith("unknown (");
    }

    @Test
    void refusesAFieldWithoutAValue() {
        assertThatThrownBy(() -> new BenchmarkProvenance(Map.of("cpu_model", " ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpu_model");
    }

    private static String git(Path folder, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", folder.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}

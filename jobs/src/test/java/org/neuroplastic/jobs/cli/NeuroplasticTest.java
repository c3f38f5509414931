package org.neuroplastic.jobs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class NeuroplasticTest {

    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of((Object[]) args);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private List<String> siblings(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String[] args(Object... parts) {
        List<String> list = new ArrayList<>();
        for (Object part : parts) {
            list.add(part.toString());
        }
        return list.toArray(String[]::new);
    }

    @Test
    void everyJobHasHelp() {
        for (String job : List.of("generate", "train")) {
            CommandRun help = run(job, "--help");
            assertThat(help.code()).isZero();
            assertThat(help.out()).contains("--config", "--set", "--out", "--master", "--overwrite");
        }
        CommandRun top = run("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("generate", "train");
    }

    @Test
    void missingJobOrOptionIsBadInput() {
        assertThat(run().code()).isEqualTo(Neuroplastic.BAD_INPUT);
        CommandRun noConfig = run("train");
        assertThat(noConfig.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(noConfig.errLines()).containsExactly(
                "error: Missing required option: '--config=FILE' (see: neuroplastic train --help)");
    }

    @Test
    void invalidConfigurationPrintsOneLineAndCreatesNothing() throws Exception {
        Path config = write("g.yaml", "generator: regression\nrows: 1000\nrow: 5\n");
        Path out = dir.resolve("new-parent").resolve("out");
        CommandRun result = run("generate", "--config", config.toString(), "--out", out.toString());
        assertThat(result.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("error: " + config + ": unknown key row (known keys here: generator, rows,");
        assertThat(dir.resolve("new-parent")).doesNotExist();
    }

    @Test
    void invalidOverrideIsNamed() throws Exception {
        Path config = write("g.yaml", "generator: regression\n");
        CommandRun result = run("generate", "--config", config.toString(), "--set", "partitions=-2",
                "--out", dir.resolve("out").toString());
        assertThat(result.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).containsExactly("error: --set partitions=-2: partitions must be in [1, 100000], found -2");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void existingOutputIsRefusedAndLeftUntouched() throws Exception {
        Path config = write("g.yaml", "generator: regression\n");
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.writeString(out.resolve("mine.txt"), "keep");
        CommandRun result = run("generate", "--config", config.toString(), "--out", out.toString());
        assertThat(result.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).containsExactly(
                "error: --out " + out + " already exists; choose another folder or pass --overwrite");
        assertThat(siblings(out)).containsExactly("mine.txt");
    }

    @Test
    void generateWritesTheDataSetAndItsEffectiveConfiguration() throws Exception {
        Path config = write("g.yaml", "generator: classification\nclasses: 4\n");
        Path out = dir.resolve("runs").resolve("gen");
        CommandRun result = run(args("generate", "--config", config, "--set", "rows=1500", "--set", "partitions=3",
                "--out", out, "--master", "local[2]"));
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("generated 1500 rows");
        assertThat(Files.readString(out.resolve("config.yaml")))
                .contains("generator: classification", "rows: 1500", "partitions: 3", "classes: 4", "test_fraction: 0.2");
        assertThat(siblings(out.resolve("dataset"))).contains("_SUCCESS")
                .filteredOn(name -> name.endsWith(".parquet") && !name.startsWith(".")).hasSize(3);
        assertThat(siblings(out.getParent())).containsExactly("gen");
    }

    @Test
    void overwriteReplacesAnExistingOutputOnlyOnSuccess() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.writeString(out.resolve("old.txt"), "old");
        Path bad = write("bad.yaml", "generator: regression\nrows: 0\n");
        assertThat(run(args("generate", "--config", bad, "--out", out, "--overwrite")).code())
                .isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(siblings(out)).containsExactly("old.txt");
        Path good = write("good.yaml", "generator: regression\nrows: 1000\npartitions: 1\n");
        CommandRun result = run(args("generate", "--config", good, "--out", out, "--overwrite", "--master", "local[2]"));
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(siblings(out)).containsExactly("_COMMITTED", "config.yaml", "dataset");
        assertThat(siblings(dir)).containsExactly("bad.yaml", "good.yaml", "out");
    }

    @Test
    void badTrainingDataExitsWithTwoAndLeavesNoOutputFolder() throws Exception {
        Path csv = write("d.csv", "a,b,label\n1,2,0\n3,NaN,1\n");
        Path config = write("t.yaml", """
                data: {format: csv, path: %s, task: classification, classes: 2}
                network: {hidden: [{size: 4}]}
                """.formatted(csv));
        Path out = dir.resolve("results").resolve("train");
        CommandRun result = run(args("train", "--config", config, "--out", out, "--master", "local[2]"));
        assertThat(result.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).containsExactly(
                "error: " + csv + ":3: feature column 'b' must be a finite number, found NaN");
        assertThat(dir.resolve("results")).doesNotExist();
        assertThat(siblings(dir)).containsExactly("d.csv", "t.yaml");
    }

    @Test
    void trainingDataThatDoesNotFitTheNetworkIsBadInput() throws Exception {
        Path csv = write("d.csv", "a,b,label\n1,2,0\n");
        Path config = write("t.yaml", """
                data: {format: csv, path: %s, task: classification, classes: 2}
                network: {n_in: 10, hidden: [{size: 4}]}
                """.formatted(csv));
        CommandRun mismatch = run(args("train", "--config", config, "--out", dir.resolve("o1"), "--master", "local[2]"));
        assertThat(mismatch.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(mismatch.errLines()).containsExactly("error: " + csv + ": has 2 features per row, but network.n_in is 10");
        Files.writeString(csv, "a,b,label\n");
        CommandRun empty = run(args("train", "--config", config, "--out", dir.resolve("o2"), "--master", "local[2]"));
        assertThat(empty.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(empty.errLines()).containsExactly("error: " + csv + ": the data set is empty");
        assertThat(siblings(dir)).containsExactly("d.csv", "t.yaml");
    }

    @Test
    void missingTrainingDataFileIsNamedBeforeSparkStarts() throws Exception {
        Path config = write("t.yaml", """
                data: {format: csv, path: %s, task: regression}
                network: {hidden: [{size: 4}]}
                """.formatted(dir.resolve("absent.csv")));
        CommandRun result = run(args("train", "--config", config, "--out", dir.resolve("o")));
        assertThat(result.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).containsExactly("error: " + config + ": data.path names " + dir.resolve("absent.csv")
                + ", which does not exist");
        assertThat(dir.resolve("o")).doesNotExist();
    }
}

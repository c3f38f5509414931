package org.neuroplastic.jobs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input to {@code train}, through the command line, on the shipped quickstart configuration: each
 * case exits with 2, prints one line naming the file, key or row and what was expected, and leaves no
 * output folder (nor its hidden staging folder) behind. NeuroplasticTest covers the CSV cases of a NaN
 * feature, a feature count against network.n_in, an empty file and a missing data file.
 */
class TrainBadInputTest {

    private static final Path QUICKSTART = Path.of("..", "conf", "quickstart.yaml");

    @TempDir
    Path dir;

    private static CommandRun train(Object... args) {
        return CommandRun.of(Stream.concat(Stream.of("train"), Stream.of(args)).toArray());
    }

    /** The quickstart configuration with {@code from} replaced by {@code to}, as a file of its own. */
    private Path quickstartWith(String from, String to) throws IOException {
        String text = Files.readString(QUICKSTART);
        assertThat(text).contains(from);
        Path file = dir.resolve("quickstart.yaml");
        Files.writeString(file, text.replace(from, to));
        return file;
    }

    private List<String> entries() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertBadInput(CommandRun result, String expectedLine, String... expectedEntries) throws IOException {
        assertThat(result.code()).as(result.err()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).containsExactly("error: " + expectedLine);
        assertThat(result.out()).isEmpty();
        assertThat(entries()).containsExactly(expectedEntries);
    }

    @Test
    void roundsOverTheDriversResultLimitAreRefusedBeforeTraining() throws Exception {
        System.setProperty("spark.driver.maxResultSize", "16k");
        CommandRun result;
        try {
            result = train("--config", QUICKSTART, "--set", "data.rows=400", "--set", "training.workers=8",
                    "--master", "local[2]", "--out", dir.resolve("out"));
        } finally {
            System.clearProperty("spark.driver.maxResultSize");
        }
        assertThat(result.code()).as(result.err()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("error: the averaged state (")
                .contains("training.workers 8")
                .contains("over spark.driver.maxResultSize (16,384 bytes)");
        assertThat(entries()).isEmpty();
    }

    @Test
    void unknownKeyInTheFileIsNamedWithTheKeysKnownThere() throws Exception {
        Path config = quickstartWith("  epochs: 5\n", "  epoch: 5\n");
        CommandRun result = train("--config", config, "--out", dir.resolve("out"));
        assertThat(result.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("error: " + config + ": unknown key training.epoch (known keys here: workers, ")
                .contains("epochs");
        assertThat(entries()).containsExactly("quickstart.yaml");
    }

    @Test
    void valueOfTheWrongTypeIsNamedWithTheTypeExpected() throws Exception {
        Path config = quickstartWith("  batch_size_per_worker: 32\n", "  batch_size_per_worker: [32]\n");
        assertBadInput(train("--config", config, "--out", dir.resolve("out")),
                config + ": training.batch_size_per_worker must be an integer, found a list", "quickstart.yaml");
    }

    @Test
    void wrongTypeInAnOverrideNamesTheOverride() throws Exception {
        assertBadInput(train("--config", QUICKSTART, "--set", "training.averaging=fastest", "--out", dir.resolve("out")),
                "--set training.averaging=fastest: training.averaging must be one of resident, stock, found text 'fastest'");
    }

    @Test
    void theRenamedMasterKeyIsRefusedNamingTheKeyThatReplacedIt() throws Exception {
        Path config = quickstartWith("  averaging: resident\n", "  master: resident\n");
        assertBadInput(train("--config", config, "--out", dir.resolve("out")),
                config + ": training.master was renamed training.averaging (same values); write averaging: instead",
                "quickstart.yaml");
    }

    @Test
    void outOfRangeValueIsNamedWithTheRangeExpected() throws Exception {
        Path config = quickstartWith("density: 0.5, zeta", "density: 1.5, zeta");
        assertBadInput(train("--config", config, "--out", dir.resolve("out")),
                config + ": network.hidden[0].plasticity.structural.density must be in (0, 1], found 1.5",
                "quickstart.yaml");
        assertBadInput(train("--config", QUICKSTART, "--set", "training.workers=0", "--out", dir.resolve("out")),
                "--set training.workers=0: training.workers must be >= 1, found 0", "quickstart.yaml");
    }

    @Test
    void missingParquetDataIsNamedBeforeSparkStarts() throws Exception {
        Path config = dir.resolve("t.yaml");
        Path absent = dir.resolve("absent-dataset");
        Files.writeString(config, """
                data: {format: parquet, path: %s, task: regression}
                network: {hidden: [{size: 4}]}
                """.formatted(absent));
        assertBadInput(train("--config", config, "--out", dir.resolve("out")),
                config + ": data.path names " + absent + ", which does not exist", "t.yaml");
    }

    @Test
    void generatedDataWithAnotherFeatureCountThanTheNetworkIsRejected() throws Exception {
        assertBadInput(train("--config", QUICKSTART, "--set", "network.n_in=12", "--set", "data.rows=200",
                        "--out", dir.resolve("out"), "--master", "local[2]"),
                "synthetic regression data: has 10 features per row, but network.n_in is 12");
    }

    @Test
    void augmentationOfFeaturesThatAreNotWholeImageRowsIsRejected() throws Exception {
        assertBadInput(train("--config", QUICKSTART, "--set", "data.rows=200", "--set",
                        "training.augmentation={image_width: 3, horizontal_flip: true}",
                        "--out", dir.resolve("out"), "--master", "local[2]"),
                "synthetic regression data: 10 features are not images of whole rows of "
                        + "training.augmentation.image_width 3 pixels");
    }

    @Test
    void infiniteCsvFeatureIsNamedWithItsLineAndColumn() throws Exception {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "a,b,label\n1,2,0.5\n3,-Infinity,1.5\n");
        Path config = dir.resolve("t.yaml");
        Files.writeString(config, """
                data: {format: csv, path: %s, task: regression}
                network: {hidden: [{size: 4}]}
                """.formatted(csv));
        assertBadInput(train("--config", config, "--out", dir.resolve("results").resolve("out"), "--master", "local[2]"),
                csv + ":3: feature column 'b' must be a finite number, found -Infinity", "d.csv", "t.yaml");
    }

    @Test
    void csvFeatureBeyondTheFloatRangeIsRejectedRatherThanMadeInfinite() throws Exception {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "a,b,label\n1,2,0.5\n3,1e39,1.5\n");
        Path config = dir.resolve("t.yaml");
        Files.writeString(config, """
                data: {format: csv, path: %s, task: regression}
                network: {hidden: [{size: 4}]}
                """.formatted(csv));
        assertBadInput(train("--config", config, "--out", dir.resolve("out"), "--master", "local[2]"),
                csv + ":3: feature column 'b' must be a finite number, found 1e39", "d.csv", "t.yaml");
    }

    @Test
    void csvWhoseRowsAllFallInTheTestSplitIsRejected() throws Exception {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "a,b,label\n1,2,0.5\n");
        Path config = dir.resolve("t.yaml");
        Files.writeString(config, """
                data: {format: csv, path: %s, task: regression, test_fraction: 0.99}
                network: {hidden: [{size: 4}]}
                """.formatted(csv));
        CommandRun result = train("--config", config, "--out", dir.resolve("out"), "--master", "local[2]");
        assertThat(result.code()).as(result.err()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("error: " + csv + ": no row fell in the train split (1 rows, test_fraction 0.99)");
        assertThat(entries()).containsExactly("d.csv", "t.yaml");
    }

    @Test
    void existingOutputFolderIsRefusedAndLeftUntouched() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.writeString(out.resolve("earlier-run.txt"), "keep");
        assertBadInput(train("--config", QUICKSTART, "--out", out),
                "--out " + out + " already exists; choose another folder or pass --overwrite", "out");
        try (Stream<Path> kept = Files.list(out)) {
            assertThat(kept.map(p -> p.getFileName().toString())).containsExactly("earlier-run.txt");
        }
        assertThat(Files.readString(out.resolve("earlier-run.txt"))).isEqualTo("keep");
    }
}

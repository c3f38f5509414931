package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.cli.CommandRun;
import org.neuroplastic.jobs.cli.FolderSnapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Configuration files and {@code --set} overrides that are not a valid document, through the command line
 * (ConfigDocument): exit code 2, one line naming the file or override and what was expected, no output.
 * None of these starts Spark.
 */
class ConfigDocumentHostileInputTest {

    private static final Path QUICKSTART = Path.of("..", "conf", "quickstart.yaml");

    @TempDir
    Path dir;

    private void assertTrainRejected(String yaml, String... expected) throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), yaml);
        assertTrainRejected(config, expected);
    }

    private void assertTrainRejected(Path config, String... expected) {
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("train", "--config", config, "--out", dir.resolve("out")).assertRejected(before, expected);
    }

    private void assertOverrideRejected(String set, String... expected) {
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("train", "--config", QUICKSTART, "--set", set, "--out", dir.resolve("out"))
                .assertRejected(before, expected);
    }

    @Test
    void textWithAnUnpairedSurrogateIsNamedNotWrittenBackAsOtherText() throws IOException {
        Path config = dir.resolve("c.yaml");
        String iris = Files.readString(Path.of("..", "conf", "iris.yaml"));
        assertTrainRejected(iris.replace("path: data/iris.csv", "path: " + Path.of("..", "data", "iris.csv").toAbsolutePath())
                        .replace("label_column: label", "label_column: \"la\\ud800bel\""),
                config + ": data.label_column must be well-formed Unicode text, found an unpaired surrogate U+D800 at character 3");
    }

    @Test
    void documentThatIsAList() throws IOException {
        Path config = dir.resolve("c.yaml");
        assertTrainRejected("- data\n- network\n", config + ": the document must be a mapping of keys to values, found a list");
    }

    @Test
    void documentThatIsAScalar() throws IOException {
        Path config = dir.resolve("c.yaml");
        assertTrainRejected("quickstart\n", config + ": the document must be a mapping of keys to values, found text 'quickstart'");
    }

    @Test
    void emptyDocument() throws IOException {
        Path config = dir.resolve("c.yaml");
        assertTrainRejected("# nothing but a comment\n", config + ": the document is empty; expected a mapping of keys to values");
    }

    @Test
    void duplicatedTopLevelKey() throws IOException {
        Path config = dir.resolve("c.yaml");
        assertTrainRejected(Files.readString(QUICKSTART) + "training: {epochs: 1}\n",
                config + ": duplicated key 'training' (line ");
    }

    @Test
    void duplicatedKeyInsideAFlowMapping() throws IOException {
        Path config = dir.resolve("c.yaml");
        assertTrainRejected(Files.readString(QUICKSTART).replace("rule: oja, eta: 0.01,", "rule: oja, eta: 0.01, eta: 0.5,"),
                config + ": duplicated key 'eta' (line 18)");
    }

    @Test
    void malformedYaml() throws IOException {
        Path config = dir.resolve("c.yaml");
        assertTrainRejected("data: {format: csv\nnetwork: [\n", config + ": ", "(line ");
    }

    @Test
    void configurationThatIsNotText() throws IOException {
        Path config = Files.write(dir.resolve("c.yaml"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16});
        assertTrainRejected(config, config + ": not UTF-8 text; a configuration file is YAML text");
    }

    @Test
    void configurationThatIsAFolder() throws IOException {
        Path config = Files.createDirectory(dir.resolve("conf"));
        assertTrainRejected(config, config + ": cannot read the configuration file: ");
    }

    @Test
    void overrideOfAnUnknownKey() {
        assertOverrideRejected("training.epoch=3", "--set training.epoch=3: unknown key training.epoch (known keys here: ");
    }

    @Test
    void overrideWithAValueThatIsNotYaml() {
        assertOverrideRejected("training.epochs=[3", "--set training.epochs=[3: the value is not valid YAML: ");
    }

    @Test
    void overrideWithoutAnEqualsSign() {
        assertOverrideRejected("training.epochs", "--set training.epochs: expected key=value, e.g. training.epochs=3");
    }

    @Test
    void overrideOfAValueWithAMapping() {
        assertOverrideRejected("training.epochs={a: 1}", "--set training.epochs={a: 1}: training.epochs must be an integer, found a mapping");
    }

    @Test
    void overrideWithALineBreakStaysOneLine() {
        assertOverrideRejected("training.averaging=\"fast\\nest\"",
                "--set training.averaging=\"fast\\nest\": training.averaging must be one of resident, stock, found text 'fast\\nest'");
    }
}

package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigDocumentTest {

    private static GenerateConfig generate(String yaml, String... sets) {
        return GenerateConfig.read(ConfigDocument.parse("conf/g.yaml", yaml, List.of(sets)).root());
    }

    @Test
    void readsAFileFromDisk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("g.yaml");
        Files.writeString(file, "generator: regression\nrows: 1000\n");
        GenerateConfig config = GenerateConfig.read(LocalFiles.load(file, List.of()).root());
        assertThat(config.rows()).isEqualTo(1000);
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> LocalFiles.load(file, List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + ": no such configuration file");
    }

    @Test
    void duplicatedKeyIsRejectedWithItsName() {
        assertThatThrownBy(() -> generate("generator: regression\nrows: 1000\nrows: 2000\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("conf/g.yaml: duplicated key 'rows'")
                .hasMessageContaining("line 3");
    }

    @Test
    void documentThatIsNotAMappingIsRejected() {
        assertThatThrownBy(() -> generate("- generator\n- rows\n"))
                .hasMessage("conf/g.yaml: the document must be a mapping of keys to values, found a list");
        assertThatThrownBy(() -> generate("just text\n"))
                .hasMessage("conf/g.yaml: the document must be a mapping of keys to values, found text 'just text'");
    }

    @Test
    void emptyDocumentIsRejected() {
        assertThatThrownBy(() -> generate("# nothing here\n"))
                .hasMessage("conf/g.yaml: the document is empty; expected a mapping of keys to values");
    }

    @Test
    void malformedYamlNamesTheFileAndLine() {
        assertThatThrownBy(() -> generate("generator: regression\nrows: [1000\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("conf/g.yaml: ")
                .hasMessageContaining("line");
    }

    @Test
    void setReplacesAValueParsedAsYaml() {
        GenerateConfig config = generate("generator: regression\nrows: 1000\n", "rows=5000", "test_fraction=0.5");
        assertThat(config.rows()).isEqualTo(5000);
        assertThat(config.testFraction()).isEqualTo(0.5);
    }

    @Test
    void setAddsAKeyAbsentFromTheFile() {
        assertThat(generate("generator: regression\n", "seed=7").seed()).isEqualTo(7);
    }

    @Test
    void setValueGetsTheSameValidationAndNamesTheOverride() {
        assertThatThrownBy(() -> generate("generator: regression\n", "rows=0"))
                .hasMessage("--set rows=0: rows must be in [1, 1000000000], found 0");
        assertThatThrownBy(() -> generate("generator: regression\n", "rows=many"))
                .hasMessage("--set rows=many: rows must be an integer, found text 'many'");
        assertThatThrownBy(() -> generate("generator: regression\n", "row=5"))
                .hasMessageStartingWith("--set row=5: unknown key row (known keys here: ");
    }

    @Test
    void setWithoutEqualsSignIsRejected() {
        assertThatThrownBy(() -> generate("generator: regression\n", "rows"))
                .hasMessage("--set rows: expected key=value, e.g. training.epochs=3");
    }

    @Test
    void setIntoAScalarIsRejected() {
        assertThatThrownBy(() -> generate("generator: regression\nrows: 1000\n", "rows.count=5"))
                .hasMessage("--set rows.count=5: rows is 1000, so it has no key count");
    }

    @Test
    void setIndexesIntoLists() {
        ConfigDocument document = ConfigDocument.parse("conf/n.yaml",
                "hidden:\n  - size: 4\n  - size: 8\n", List.of("hidden.1.size=16"));
        ConfigSection root = document.root();
        List<Integer> sizes = root.sections("hidden").stream().map(s -> s.integer("size")).toList();
        assertThat(sizes).containsExactly(4, 16);
        ConfigSection bracketed = ConfigDocument.parse("conf/n.yaml", "hidden:\n  - size: 4\n",
                List.of("hidden[0].size=32")).root();
        assertThat(bracketed.sections("hidden").get(0).integer("size")).isEqualTo(32);
    }

    @Test
    void setIndexBeyondTheListEndIsRejected() {
        assertThatThrownBy(() -> ConfigDocument.parse("conf/n.yaml", "hidden:\n  - size: 4\n", List.of("hidden.5.size=1")))
                .hasMessage("--set hidden.5.size=1: hidden has 1 entries, so the index must be at most 1, found 5");
    }
}

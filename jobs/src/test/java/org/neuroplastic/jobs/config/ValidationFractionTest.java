package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code data.validation_fraction}: read for every source and offline stream, refused where it cannot apply. */
class ValidationFractionTest {

    private static final String REST = """
            network: {n_in: 10, hidden: [{size: 4}]}
            training: {epochs: 1}
            """;

    private static TrainConfig read(String data) {
        return TrainConfig.read(ConfigDocument.parse("conf/t.yaml", data + REST, List.of()));
    }

    @Test
    void absentOrZeroLeavesTheSourceAsItWas() {
        String synthetic = "data: {format: synthetic, generator: regression, rows: 100, seed: 9%s}\n";
        DataSource plain = read(synthetic.formatted("")).data();
        assertThat(plain).isInstanceOf(DataSource.Synthetic.class);
        assertThat(read(synthetic.formatted(", validation_fraction: 0")).data()).isEqualTo(plain);
        assertThat(read(synthetic.formatted("")).effectiveYaml()).doesNotContain("validation_fraction");
    }

    @Test
    void aFractionWrapsTheSourceSeededAsItsTestSplitIs() {
        DataSource synthetic = read("data: {format: synthetic, generator: regression, rows: 100, seed: 9, "
                + "validation_fraction: 0.2}\n").data();
        assertThat(synthetic).isEqualTo(new DataSource.Validated(
                read("data: {format: synthetic, generator: regression, rows: 100, seed: 9}\n").data(),
                new DataSource.ValidationSplit(0.2, 9)));
    }

    @Test
    void anOfflineStreamCutsTheValidatedSourceSoEveryTaskHasAValidationSplit() {
        String stream = """
                data:
                  format: synthetic
                  generator: classification
                  classes: 4
                  seed: 9
                  validation_fraction: 0.2
                  stream: %s
                """;
        DataSource validated = read("data: {format: synthetic, generator: classification, classes: 4, seed: 9, "
                + "validation_fraction: 0.2}\n").data();
        assertThat(validated).isInstanceOf(DataSource.Validated.class);
        for (String kind : List.of("{kind: split}", "{kind: permuted, tasks: 3}", "{kind: split, joint: true}")) {
            DataSource.Streamed streamed = (DataSource.Streamed) read(stream.formatted(kind)).data();
            assertThat(streamed.source()).as(kind).isEqualTo(validated);
        }
    }

    @Test
    void anOnlineStreamIsRefusedInOneLineNamingTheKey() {
        assertThatThrownBy(() -> read("""
                data:
                  format: synthetic
                  generator: classification
                  classes: 4
                  validation_fraction: 0.2
                  stream: {kind: permuted, tasks: 2, online: true, examples_per_task: 8}
                """))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("conf/t.yaml: data.validation_fraction is not available with an online stream "
                        + "(data.stream.online: true), which has no held-out evaluation; remove one");
    }

    @Test
    void outOfRangeFractionsAreRefusedInOneLine() {
        assertThatThrownBy(() -> read("data: {format: synthetic, generator: regression, validation_fraction: 1}\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("conf/t.yaml: data.validation_fraction must be in (0, 1) (0 or absent: none), found 1.0");
        assertThatThrownBy(() -> read("data: {format: synthetic, generator: regression, validation_fraction: -0.1}\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("data.validation_fraction must be in (0, 1)");
    }
}

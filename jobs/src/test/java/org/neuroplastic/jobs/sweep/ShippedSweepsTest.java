package org.neuroplastic.jobs.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.model.network.NetworkSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The example sweeps under conf/ expand into valid trials, read as bin/neuroplastic would from the project root. */
class ShippedSweepsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** Copies conf/{@code names} into a temporary conf/ with data paths made absolute (tests run in jobs/). */
    private SweepConfig read(String sweep, String... bases) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        for (String name : concat(sweep, bases)) {
            Files.writeString(conf.resolve(name), Files.readString(ROOT.resolve("conf").resolve(name))
                    .replace("path: data/", "path: " + ROOT.resolve("data") + "/"));
        }
        return SweepConfig.read(LocalFiles.load(conf.resolve(sweep), List.of()));
    }

    private static List<String> concat(String first, String... rest) {
        return Stream.concat(Stream.of(first), Arrays.stream(rest)).toList();
    }

    @Test
    void hebbianDensityGridHasEighteenTrialsOnTheSyntheticRegression() throws Exception {
        SweepConfig sweep = read("sweep-hebbian-density.yaml");
        assertThat(sweep.method()).isEqualTo(SweepConfig.Method.GRID);
        assertThat(sweep.trials()).hasSize(3 * 3 * 2);
        assertThat(sweep.trials()).extracting(Trial::seed).containsOnly(42L, 43L);
        assertThat(sweep.mode()).isEqualTo(SweepConfig.Mode.PARALLEL);
        assertThat(sweep.metric()).isEqualTo(new Metric(Metric.Name.VALIDATION_LOSS, Metric.Goal.MINIMIZE));
    }

    @Test
    void irisRandomSearchDrawsSixteenSettingsAndHalvesThemTwice() throws Exception {
        SweepConfig sweep = read("sweep-iris-random.yaml");
        assertThat(sweep.trials()).hasSize(16);
        assertThat(sweep.metric()).isEqualTo(new Metric(Metric.Name.VALIDATION_ACCURACY, Metric.Goal.MAXIMIZE));
        assertThat(sweep.earlyStop().rungEpochs()).containsExactly(5, 10);
        assertThat(sweep.trials()).allSatisfy(t -> assertThat(t.epochs()).isEqualTo(30));
    }

    @Test
    void fashionMnistRateAndAveragingGridIsRankedOnAValidationSplitAndNeverReadsTheTestImages() throws Exception {
        SweepConfig sweep = read("sweep-fashion-mnist-rate-and-averaging.yaml");
        assertThat(sweep.trials()).hasSize(4 * 5 * 2);
        assertThat(sweep.trials()).extracting(t -> t.config().training().averagingFrequency())
                .containsOnly(10, 20, 40, 60, 120);
        assertThat(sweep.mode()).isEqualTo(SweepConfig.Mode.AVERAGED);
        assertThat(sweep.metric()).isEqualTo(new Metric(Metric.Name.VALIDATION_ACCURACY, Metric.Goal.MAXIMIZE));
        assertThat(sweep.trials()).extracting(t -> t.config().network().variant())
                .containsOnly(NetworkSpec.Variant.PLASTIC, NetworkSpec.Variant.DENSE);
        assertThat(sweep.trials()).allSatisfy(t -> {
            DataSource.Validated validated = (DataSource.Validated) t.config().data();
            assertThat(validated.validation().fraction()).isEqualTo(0.2);
            DataSource.Idx data = (DataSource.Idx) validated.source();
            assertThat(data.testImages()).isNull();
            assertThat(data.testLabels()).isNull();
            assertThat(data.holdOut().testFraction()).isEqualTo(0.1667);
            assertThat(t.config().training().batchSizePerWorker()).isEqualTo(256);
        });
    }
}

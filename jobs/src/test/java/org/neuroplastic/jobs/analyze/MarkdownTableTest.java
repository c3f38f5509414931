package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The Markdown tables against hand-made rows, and their files beside the CSVs of an analysed sweep. */
class MarkdownTableTest {

    private static final List<String> HEADING = List.of("analyze --in sweep --baseline network.variant=dense", "",
            "    date_utc: 2026-12-06T23:00:00Z");

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @Test
    void replicaStatisticsGiveMeanIntervalAndSdPerSettingAndMetric() {
        // Replicas 1, 2, 3: mean 2, sd 1, t(0.975, 2) = 4.3027, half width 4.3027 / sqrt(3) = 2.4841.
        MeanInterval three = MeanInterval.of(new double[] {1, 2, 3});
        List<Row> rows = List.of(
                row(ReplicaTables.REPLICA_STATISTICS_SCHEMA, "network.variant=dense", "final_test_loss", 3,
                        three.mean(), three.sd(), three.ciLow(), three.ciHigh()),
                row(ReplicaTables.REPLICA_STATISTICS_SCHEMA, "a=x|y", "final_test_accuracy", 1,
                        0.875, null, null, null));

        assertThat(MarkdownTable.replicaStatistics(rows, HEADING)).isEqualTo("""
                analyze --in sweep --baseline network.variant=dense

                    date_utc: 2026-12-06T23:00:00Z

                replica statistics: mean [95% t interval] over each setting's replicas

                | setting | metric | n | mean [95% CI] | sd |
                | --- | --- | --- | --- | --- |
                | network.variant=dense | final_test_loss | 3 | 2.000 [-0.4841, 4.484] | 1.000 |
                | a=x\\|y | final_test_accuracy | 1 | 0.8750 (no interval: n = 1) |  |
                """);
    }

    @Test
    void pairedDifferencesSayWhetherTheIntervalExcludesZero() {
        StructType columns = ReplicaTables.PAIRED_DIFFERENCES_SCHEMA;
        String dense = "network.variant=dense";
        String plastic = "network.variant=plastic";
        List<Row> rows = List.of(
                row(columns, plastic, dense, "final_test_loss", 5, 0, 0.05, 0.02, 0.0252, 0.0748),
                row(columns, plastic, dense, "final_test_accuracy", 5, 0, -0.002, 0.004, -0.00697, 0.00297),
                row(columns, plastic, dense, "best_test_loss", 5, 0, -0.05, 0.02, -0.0748, -0.0252),
                row(columns, plastic, dense, "test_loss_auc", 1, 2, 0.1, null, null, null));

        assertThat(MarkdownTable.pairedDifferences(rows, HEADING)).endsWith("""
                paired differences (setting - baseline, paired by seed): mean [95% t interval]

                | setting | baseline | metric | pairs | unpaired | mean difference [95% CI] | sd | interval excludes 0 |
                | --- | --- | --- | --- | --- | --- | --- | --- |
                | network.variant=plastic | network.variant=dense | final_test_loss | 5 | 0 | 0.05000 [0.02520, 0.07480] | 0.02000 | yes, above |
                | network.variant=plastic | network.variant=dense | final_test_accuracy | 5 | 0 | -0.002000 [-0.006970, 0.002970] | 0.004000 | no |
                | network.variant=plastic | network.variant=dense | best_test_loss | 5 | 0 | -0.05000 [-0.07480, -0.02520] | 0.02000 | yes, below |
                | network.variant=plastic | network.variant=dense | test_loss_auc | 1 | 2 | 0.1000 (no interval: n = 1) |  | n/a |
                """).startsWith(String.join("\n", HEADING));
    }

    @Test
    void analyzeWritesBothTablesBesideTheCsvHeadedByDateCommitAndHardware(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("sweep");
        ReplicaFixture.write(SPARK.session(), in);
        Path out = dir.resolve("analysis");
        AnalyzeJob.run(AnalysisSettings.of(LocalFiles.storage(), LocalFiles.at(in), 0.9,
                Optional.of(Baseline.parse("network.variant=dense"))), SPARK.session(), LocalFiles.at(out));

        String statistics = Files.readString(out.resolve(ReplicaTables.REPLICA_STATISTICS + MarkdownTable.EXTENSION));
        String differences = Files.readString(out.resolve(ReplicaTables.PAIRED_DIFFERENCES + MarkdownTable.EXTENSION));
        for (String table : List.of(statistics, differences)) {
            assertThat(table.lines().findFirst()).hasValue("analyze --in " + in + " --baseline network.variant=dense");
            assertThat(table).contains("    date_utc: ", "    git_commit: ", "    cpu_model: ", "    cores: ",
                    "    load_average: ");
        }
        // ReplicaFixture's sparse setting has one measured replica with final loss 4.5 (ReplicaStatisticsTest).
        assertThat(statistics).contains("| network.variant=sparse | final_test_loss | 1 | 4.500 (no interval: n = 1) |  |");
        long dataRows = statistics.lines().filter(l -> l.startsWith("| network.")).count();
        assertThat(dataRows).isEqualTo(SPARK.session().read()
                .parquet(out.resolve(ReplicaTables.REPLICA_STATISTICS).toString()).count());
    }

    private static Row row(StructType columns, Object... values) {
        assertThat(values).hasSize(columns.size());
        return new GenericRowWithSchema(values, columns);
    }
}

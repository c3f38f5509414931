package org.neuroplastic.jobs.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.cli.CommandRun;
import org.neuroplastic.jobs.cli.FolderSnapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * Broken Parquet data given to {@code train} (ParquetDataset): each is answered with exit code 2, one line
 * naming the file or folder and the row or what was expected, and no output. The files are written by
 * DuckDB, a writer other than Spark.
 */
class ParquetDatasetHostileInputTest {

    @TempDir
    Path dir;

    /** Writes the rows of {@code select} (columns row_id, features, label) as one Parquet file. */
    private Path parquet(String name, String select) throws SQLException {
        Path file = dir.resolve(name);
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duckdb.createStatement()) {
            statement.execute("COPY (" + select + ") TO '" + file + "' (FORMAT PARQUET)");
        }
        return file;
    }

    private static String rows(int count, String label) {
        return "SELECT i::BIGINT AS row_id, [i * 0.5, 1.0 - i]::FLOAT[] AS features, " + label
                + " AS label FROM range(" + count + ") t(i)";
    }

    private void assertRejected(Path data, String task, String... expected) throws IOException {
        Path config = Files.writeString(dir.resolve("t.yaml"), """
                data: {format: parquet, path: %s, %s}
                network: {hidden: [{size: 4}]}
                training: {epochs: 1}
                """.formatted(data, task));
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("train", "--config", config, "--out", dir.resolve("out"), "--master", "local[2]")
                .assertRejected(before, expected);
    }

    @Test
    void truncatedParquetFile() throws Exception {
        Path file = parquet("d.parquet", rows(2000, "(i % 3)::DOUBLE"));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertRejected(file, "task: classification, classes: 3", file + ": not a Parquet file (" + bytes.length / 2
                + " bytes without Parquet's PAR1 framing at both ends): truncated, or another format under a Parquet name");
    }

    @Test
    void garbageBytesUnderAParquetName() throws Exception {
        Path file = Files.write(dir.resolve("d.parquet"), "features,label\n1,2\nthis is CSV, not Parquet\n".getBytes());
        assertRejected(file, "task: regression", file + ": not a Parquet file (44 bytes without Parquet's PAR1 framing "
                + "at both ends): truncated, or another format under a Parquet name");
    }

    @Test
    void folderWithoutParquetFiles() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("dataset"));
        assertRejected(folder, "task: regression", folder + ": not a readable Parquet data set: [UNABLE_TO_INFER_SCHEMA]");
    }

    @Test
    void labelOutsideTheClassRange() throws Exception {
        Path file = parquet("d.parquet", rows(20, "CASE WHEN i = 7 THEN 5.0 ELSE (i % 3)::DOUBLE END"));
        assertRejected(file, "task: classification, classes: 3",
                file + ": row_id 7: the label must be a class index in [0, 3), found 5");
    }

    @Test
    void nanAndInfiniteFeatures() throws Exception {
        Path file = parquet("d.parquet", "SELECT i::BIGINT AS row_id, [1.0, CASE WHEN i = 3 THEN 'NaN'::FLOAT "
                + "WHEN i = 5 THEN 'Infinity'::FLOAT ELSE 2.0 END]::FLOAT[] AS features, 1.5::DOUBLE AS label "
                + "FROM range(10) t(i)");
        assertRejected(file, "task: regression", file + ": row_id 3 has a missing, NaN or infinite feature value");
    }

    @Test
    void emptyParquetDataSet() throws Exception {
        Path file = parquet("d.parquet", rows(10, "1.5::DOUBLE") + " WHERE i < 0");
        assertRejected(file, "task: regression", file + ": the data set is empty");
    }

    @Test
    void parquetWithoutATrainSplit() throws Exception {
        Path file = parquet("d.parquet", "SELECT i::BIGINT AS row_id, [1.0]::FLOAT[] AS features, 1.5::DOUBLE AS label, "
                + "'test' AS split FROM range(10) t(i)");
        assertRejected(file, "task: regression", file + ": no row is in the train split (10 rows)");
    }
}

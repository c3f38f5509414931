package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.neuroplastic.jobs.results.FolderTree;

/**
 * Writes a result table twice: as Parquet under {@code <out>/<name>/} for engines, and as one CSV file
 * {@code <out>/<name>.csv} with a header for spreadsheets. The tables are per run or per trial, small
 * enough for one file each.
 */
final class TableExport {

    private TableExport() {
    }

    static void write(Dataset<Row> table, String name, Path out) {
        table.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(out.resolve(name).toString());
        Path csvFolder = out.resolve("." + name + ".csv-parts");
        table.coalesce(1).write().mode(SaveMode.ErrorIfExists)
                .option("header", "true")
                .option("nullValue", "")
                .csv(csvFolder.toString());
        try {
            List<Path> parts;
            try (Stream<Path> files = Files.list(csvFolder)) {
                parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
            }
            if (parts.size() != 1) {
                throw new IllegalStateException("expected one CSV part in " + csvFolder + ", found " + parts.size());
            }
            Files.move(parts.get(0), out.resolve(name + ".csv"));
            FolderTree.delete(csvFolder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot gather the CSV of " + name, e);
        }
    }
}

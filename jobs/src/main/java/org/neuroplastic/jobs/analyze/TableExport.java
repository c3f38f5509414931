package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a result table twice: as Parquet under {@code <out>/<name>/} for engines, and as one CSV file
 * {@code <out>/<name>.csv} with a header for spreadsheets. The tables are per run or per trial, small
 * enough for one file each.
 */
final class TableExport {

    private TableExport() {
    }

    static void write(Storage storage, Dataset<Row> table, String name, Location out) {
        table.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(out.resolve(name).uri());
        Location csvFolder = out.resolve("." + name + ".csv-parts");
        table.coalesce(1).write().mode(SaveMode.ErrorIfExists)
                .option("header", "true")
                .option("nullValue", "")
                .csv(csvFolder.uri());
        try {
            List<Location> parts = storage.list(csvFolder).stream().filter(p -> p.name().startsWith("part-")).toList();
            if (parts.size() != 1) {
                throw new IllegalStateException("expected one CSV part in " + csvFolder + ", found " + parts.size());
            }
            storage.rename(parts.get(0), out.resolve(name + ".csv"));
            storage.delete(csvFolder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot gather the CSV of " + name, e);
        }
    }
}

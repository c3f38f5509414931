package org.neuroplastic.jobs.data;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Rows of {@link DatasetSchema#SCHEMA} for tests. */
final class DatasetSchemaRows {

    private DatasetSchemaRows() {
    }

    static Row row(long rowId, float[] features, double label) {
        return RowFactory.create(rowId, features, label, DatasetSchema.TRAIN, 0);
    }
}

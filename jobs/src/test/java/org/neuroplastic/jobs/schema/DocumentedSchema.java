package org.neuroplastic.jobs.schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The column tables of docs/SCHEMA.md, read from the file itself, with the types as DuckDB names them. */
public final class DocumentedSchema {

    /** The Parquet types of docs/SCHEMA.md's type words, as DuckDB names them. */
    private static final Map<String, String> DUCKDB_TYPES = Map.of(
            "string", "VARCHAR",
            "int", "INTEGER",
            "long", "BIGINT",
            "double", "DOUBLE",
            "timestamp", "TIMESTAMP",
            "map<string,string>", "MAP(VARCHAR, VARCHAR)",
            "map<string,double>", "MAP(VARCHAR, DOUBLE)");

    private DocumentedSchema() {
    }

    /** Column name to DuckDB type for the column table of {@code ## section} in docs/SCHEMA.md. */
    public static Map<String, String> duckdbColumns(String section) throws IOException {
        String schema = Files.readString(Path.of("..", "docs", "SCHEMA.md"));
        int start = schema.indexOf("\n## " + section + "\n");
        assertThat(start).as("section " + section + " in docs/SCHEMA.md").isNotNegative();
        int end = schema.indexOf("\n## ", start + 1);
        String text = end < 0 ? schema.substring(start) : schema.substring(start, end);
        Map<String, String> columns = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z_]+)` \\| ([a-z<>,]+) \\|").matcher(text);
        while (row.find()) {
            assertThat(DUCKDB_TYPES).as("type of " + row.group(1)).containsKey(row.group(2));
            columns.put(row.group(1), DUCKDB_TYPES.get(row.group(2)));
        }
        return columns;
    }
}

package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.neuroplastic.jobs.results.MachineProvenance;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code replica_statistics} and {@code paired_differences} once more as Markdown, {@code <out>/<name>.md},
 * headed by the command's settings and {@link MachineProvenance}'s lines: the project's rule is that a table in
 * the docs is pasted as a command printed it, with date, commit and hardware, never retyped. One row per
 * setting and metric; values keep four significant digits, enough to tell replicas' spread from their mean.
 */
final class MarkdownTable {

    static final String EXTENSION = ".md";

    private MarkdownTable() {
    }

    static void write(Storage storage, ReplicaTables replicas, AnalysisSettings settings, Location out) {
        List<String> heading = heading(settings, MachineProvenance.of(MachineProvenance.checkout(), MachineProvenance.cpuModel()));
        write(storage, out, ReplicaTables.REPLICA_STATISTICS,
                replicaStatistics(replicas.replicaStatistics().collectAsList(), heading));
        replicas.pairedDifferences().ifPresent(d -> write(storage, out, ReplicaTables.PAIRED_DIFFERENCES,
                pairedDifferences(d.collectAsList(), heading)));
    }

    /** The command's input and baseline, then the provenance block as an indented (preformatted) block. */
    static List<String> heading(AnalysisSettings settings, MachineProvenance provenance) {
        List<String> heading = new ArrayList<>();
        heading.add("analyze --in " + settings.in() + settings.baseline().map(b -> " --baseline " + b).orElse(""));
        heading.add("");
        provenance.lines().forEach(line -> heading.add("    " + line));
        return heading;
    }

    /** {@code replica_statistics} rows (docs/SCHEMA.md) as a Markdown table below {@code heading}. */
    static String replicaStatistics(List<Row> rows, List<String> heading) {
        StringBuilder text = start(heading, "replica statistics: mean [95% t interval] over each setting's replicas",
                "| setting | metric | n | mean [95% CI] | sd |", "| --- | --- | --- | --- | --- |");
        for (Row row : rows) {
            text.append("| ").append(cell(row.getAs("setting"))).append(" | ").append(cell(row.getAs("metric")))
                    .append(" | ").append(row.<Integer>getAs("n"))
                    .append(" | ").append(interval(row.getAs("mean"), row.getAs("ci_low"), row.getAs("ci_high")))
                    .append(" | ").append(number(row.getAs("sd"))).append(" |\n");
        }
        return text.toString();
    }

    /** {@code paired_differences} rows (docs/SCHEMA.md) as a Markdown table below {@code heading}. */
    static String pairedDifferences(List<Row> rows, List<String> heading) {
        StringBuilder text = start(heading, "paired differences (setting - baseline, paired by seed): mean [95% t interval]",
                "| setting | baseline | metric | pairs | unpaired | mean difference [95% CI] | sd | interval excludes 0 |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Row row : rows) {
            Double low = row.getAs("ci_low");
            Double high = row.getAs("ci_high");
            text.append("| ").append(cell(row.getAs("setting"))).append(" | ").append(cell(row.getAs("baseline")))
                    .append(" | ").append(cell(row.getAs("metric"))).append(" | ").append(row.<Integer>getAs("n"))
                    .append(" | ").append(row.<Integer>getAs("unpaired"))
                    .append(" | ").append(interval(row.getAs("mean_difference"), low, high))
                    .append(" | ").append(number(row.getAs("sd")))
                    .append(" | ").append(excludesZero(low, high)).append(" |\n");
        }
        return text.toString();
    }

    /** {@code mean [low, high]}; the mean alone when one value leaves no interval. */
    static String interval(double mean, Double low, Double high) {
        return low == null || high == null ? number(mean) + " (no interval: n = 1)"
                : number(mean) + " [" + number(low) + ", " + number(high) + "]";
    }

    private static String excludesZero(Double low, Double high) {
        if (low == null || high == null) {
            return "n/a";
        }
        return low > 0 ? "yes, above" : high < 0 ? "yes, below" : "no";
    }

    private static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4g", value);
    }

    /** A pipe inside a cell would end it. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static StringBuilder start(List<String> heading, String caption, String header, String rule) {
        StringBuilder text = new StringBuilder();
        heading.forEach(line -> text.append(line).append('\n'));
        return text.append('\n').append(caption).append("\n\n").append(header).append('\n').append(rule).append('\n');
    }

    private static void write(Storage storage, Location out, String name, String markdown) {
        Location file = out.resolve(name + EXTENSION);
        try {
            storage.writeText(file, markdown);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}

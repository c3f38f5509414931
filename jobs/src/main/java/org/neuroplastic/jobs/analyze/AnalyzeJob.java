package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code analyze} job: reads a train run's or a sweep's output folder and writes under {@code out} the
 * analysis tables (Parquet and CSV), PNG plots, {@code report.html} and the settings it used
 * ({@code analysis.yaml}); docs/SCHEMA.md section "analysis".
 */
public final class AnalyzeJob {

    public static final String REPORT = "report.html";
    public static final String SETTINGS = "analysis.yaml";

    private AnalyzeJob() {
    }

    public static AnalysisSummary run(AnalysisSettings settings, SparkSession spark, Location out) {
        Storage storage = Storage.of(spark);
        List<SweepMetric> metrics = SweepMetric.read(storage, settings.in());
        AnalysisInputs inputs = AnalysisInputs.read(spark, storage, settings.in());
        AnalysisTables tables = AnalysisTables.of(spark, inputs, metrics, settings.fraction());
        Optional<ReplicaTables> replicas = ReplicaTables.of(spark, inputs, tables, settings.baseline());
        Optional<OnlineTables> online = settings.groups().flatMap(g -> OnlineTables.of(spark, g));
        Optional<ContinualGroupTables> continualGroups = settings.groups()
                .flatMap(g -> ContinualGroupTables.of(spark, g, tables.continual()));
        settings.groups().filter(g -> online.isEmpty() && continualGroups.isEmpty()).ifPresent(g -> {
            throw new InvalidInputException("--groups " + g.file() + ": no run of --in has online evaluations or "
                    + "trained a stream of several tasks; expected a study's runs");
        });
        List<AnalysisTables.NamedTable> named = new ArrayList<>();
        online.ifPresent(o -> named.addAll(o.named()));
        continualGroups.ifPresent(c -> named.addAll(c.named()));
        replicas.ifPresent(r -> named.addAll(r.named()));
        named.addAll(tables.named());
        for (AnalysisTables.NamedTable table : named) {
            TableExport.write(storage, table.rows(), table.name(), out);
        }
        replicas.ifPresent(r -> MarkdownTable.write(storage, r, settings, out));
        List<Integer> rungs = SweepRungs.read(storage, settings.in());
        List<AnalysisCharts.Plot> plots = new ArrayList<>();
        online.ifPresent(o -> plots.addAll(OnlineCharts.draw(storage, o, out)));
        continualGroups.ifPresent(c -> plots.add(ContinualGroupCharts.draw(storage, c, out)));
        replicas.flatMap(r -> ReplicaCharts.learningCurves(spark, r.sweep(), out, rungs)).ifPresent(plots::add);
        AnalysisCharts.Drawing drawing = AnalysisCharts.draw(spark, tables, out, rungs);
        plots.addAll(drawing.plots());
        AnalysisReport.write(storage, out.resolve(REPORT), settings, tables, replicas, new AnalysisReport.Studies(online, continualGroups),
                plots, drawing.leftOut());
        writeSettings(storage, settings, tables.objectives(), inputs.trials().isPresent(), out.resolve(SETTINGS));
        return new AnalysisSummary(tables.trialSummary().count(), inputs.trials().map(t -> t.count()).orElse(0L),
                named.size(), plots.size());
    }

    private static void writeSettings(Storage storage, AnalysisSettings settings, List<SweepMetric> objectives, boolean trials,
                                      Location file) {
        String yaml = "in: " + quoted(settings.in().uri()) + "\n"
                + "fraction: " + settings.fraction() + "\n"
                + settings.baseline().map(b -> "baseline: " + quoted(b.toString()) + "\n").orElse("")
                + settings.groups().map(g -> "groups: " + quoted(g.file()) + "\n"
                        + g.baseline().map(b -> "baseline_group: " + quoted(b) + "\n").orElse("")).orElse("")
                + "trials_table: " + trials + "\n"
                + "metric: " + (objectives.size() == 1 ? entry(objectives.get(0))
                        : objectives.stream().map(AnalyzeJob::entry).collect(Collectors.joining(", ", "[", "]"))) + "\n";
        try {
            storage.writeText(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String entry(SweepMetric metric) {
        return "{name: " + quoted(metric.name()) + ", goal: " + metric.goal() + "}";
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}

package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One self-contained HTML page: the plots embedded as base64 {@code data:} URIs and the tables inline, with
 * no reference outside the file, so it opens offline and can be mailed as it is.
 */
final class AnalysisReport {

    /** Rows of a table shown in the page; the CSV beside it holds all of them. */
    static final int MAX_ROWS = 200;

    /** How the continual-learning tables are read; the formulas as docs/SCHEMA.md states them. */
    static final String CONTINUAL = """
            <h2>Continual learning</h2>
            <p>For every run that trained more than one task, R[i][j] is the held-out accuracy on task j after
            training task i (the evaluation at the last epoch of task i; table <code>accuracy_matrix</code>). With T
            tasks, per run (table <code>continual_metrics</code>):</p>
            <ul>
            <li><b>average accuracy</b> ACC = (1/T) &Sigma;<sub>j</sub> R[T&minus;1][j] (Lopez-Paz and Ranzato 2017, GEM);</li>
            <li><b>backward transfer</b> BWT = (1/(T&minus;1)) &Sigma;<sub>j&lt;T&minus;1</sub> (R[T&minus;1][j] &minus; R[j][j])
            (GEM; negative values are forgetting);</li>
            <li><b>forgetting</b> of task j: f<sub>j</sub> = max<sub>l&lt;T&minus;1</sub> R[l][j] &minus; R[T&minus;1][j],
            and <b>average forgetting</b> F = (1/(T&minus;1)) &Sigma;<sub>j&lt;T&minus;1</sub> f<sub>j</sub>
            (Chaudhry et al. 2018, RWalk).</li>
            </ul>
            <p>Forward transfer (GEM's FWT) is not computed: it needs each task's accuracy before any training
            (b<sub>j</sub>), which the runs do not evaluate. A metric that needs a cell without an evaluation (a run
            that stopped early) is left empty. Runs with a validation split (<code>data.validation_fraction</code>)
            also get the same matrix and measures on it (columns <code>validation_*</code>): select settings on
            those, and report the test columns. Table <code>task_forgetting</code> sets each task's forgetting beside
            the plasticity of the averaged network while the later tasks trained (connection turnover, Hebbian trace
            norm, change of the weight norms); <code>task_plasticity</code> has it per task trained and layer.</p>
            """;

    /** How the replica tables are read; the formulas as docs/SCHEMA.md states them. */
    static final String REPLICAS = """
            <h2>Replicas</h2>
            <p>A setting is the trials with the same swept values; they differ only by replica, whose seeds the sweep
            offsets. Over the replicas that trained all their epochs, table <code>replica_statistics</code> gives per
            metric the mean, the sample standard deviation sd (divisor n&minus;1) and the 95% confidence interval
            mean &plusmn; t<sub>0.975, n&minus;1</sub> &middot; sd / &radic;n (Student's t); with one replica sd and
            the interval are empty.</p>
            """;

    /** How the paired comparison with the baseline is read. */
    static final String PAIRED = """
            <p>Table <code>paired_differences</code> compares every setting with the baseline setting <b>%s</b> that
            has the same values of the other swept keys, replica by replica: d = setting &minus; baseline for each
            seed both ran, then the mean of d with its 95%% t interval over the n pairs. Replicas whose seed the other
            setting lacks are counted in <code>unpaired</code> and left out. An interval that excludes 0 is a
            difference the replicas' spread does not explain.</p>
            """;

    /** How the online study's tables are read (analyze --groups). */
    static final String ONLINE = """
            <h2>Online study</h2>
            <p>Runs grouped by method as the groups file names them. Per run: the online accuracy of each task (every
            example predicted before it is learned from); the block is a tenth of the tasks; <code>accuracy_drop</code> =
            first block &minus; last block (positive: the run learns less late in the stream, Dohare et al.'s loss of
            plasticity); the first hidden layer's last dead fraction and effective rank. Table
            <code>online_summary</code> gives each measure's mean over the replicas with its 95%% t interval;
            <code>online_paired_differences</code> each method &minus; <b>%s</b>, replica by replica.</p>
            """;

    /** How a continual study's tables are read (analyze --groups over runs of offline streams). */
    static final String CONTINUAL_STUDY = """
            <h2>Continual study</h2>
            <p>Runs grouped as the groups file names them. Per run: average accuracy (ACC), backward transfer (BWT) and
            average forgetting of table <code>continual_metrics</code>. Table <code>continual_summary</code> gives each
            measure's mean over the replicas with its 95%% t interval; <code>continual_paired_differences</code> each
            group &minus; its baseline, replica by replica (%s); <code>continual_task_statistics</code> each group's
            final accuracy on every task.</p>
            """;

    /** A study's tables ({@code analyze --groups}): online, continual, or neither. */
    record Studies(Optional<OnlineTables> online, Optional<ContinualGroupTables> continual) {
    }

    private AnalysisReport() {
    }

    /** For a multi-objective sweep: the metrics whose Pareto front comes first in the ranking. */
    private static String objectives(AnalysisTables tables) {
        if (tables.objectives().size() < 2) {
            return "";
        }
        StringBuilder text = new StringBuilder(" within the Pareto front of");
        for (SweepMetric metric : tables.objectives()) {
            text.append(" <b>").append(escape(metric.name())).append("</b> (").append(metric.goal()).append(")");
        }
        return text.append(" (column <code>pareto_optimal</code>)").toString();
    }

    static void write(Storage storage, Location file, AnalysisSettings settings, AnalysisTables tables,
                      Optional<ReplicaTables> replicas, Studies studies, List<AnalysisCharts.Plot> plots,
                      List<String> leftOut) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>neuroplastic analysis</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0;font-size:13px}")
                .append("th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}th{background:#eee}")
                .append("td.text{text-align:left}img{max-width:100%;border:1px solid #ddd;margin:0.5em 0}p.note{font-size:13px;color:#555}</style>\n</head>\n<body>\n")
                .append("<h1>neuroplastic analysis</h1>\n<p>Results in <code>").append(escape(settings.in().toString()))
                .append("</code>; ranked by <b>").append(escape(tables.metric().name())).append("</b> (")
                .append(tables.metric().goal()).append(")").append(objectives(tables))
                .append("; <code>epochs_to_fraction</code> uses fraction ")
                .append(settings.fraction()).append(". Definitions: docs/SCHEMA.md, section \"analysis\".</p>\n");
        if (replicas.isPresent()) {
            html.append(REPLICAS);
            settings.baseline().ifPresent(b -> html.append(PAIRED.formatted(escape(b.toString()))));
        }
        if (tables.continual().isPresent()) {
            html.append(CONTINUAL);
        }
        String baselines = settings.groups().map(g -> g.comparisons().stream().map(c -> c.group() + " − " + c.baseline())
                .distinct().reduce((a, b) -> a + ", " + b).orElse("no comparison named")).orElse("");
        studies.online().ifPresent(o -> html.append(ONLINE.formatted(escape(settings.groups().flatMap(StudyGroups::baseline)
                .orElse("(no baseline group)")))));
        studies.continual().ifPresent(c -> html.append(CONTINUAL_STUDY.formatted(escape(baselines))));
        html.append("<h2>Plots</h2>\n");
        for (AnalysisCharts.Plot plot : plots) {
            html.append("<h3>").append(escape(plot.title())).append("</h3>\n<img alt=\"").append(escape(plot.title()))
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(plot.png())).append("\">\n");
            if (!plot.note().isEmpty()) {
                html.append("<p class=\"note\">").append(escape(plot.note())).append("</p>\n");
            }
        }
        for (String line : leftOut) {
            html.append("<p class=\"note\">").append(escape(line)).append("</p>\n");
        }
        List<AnalysisTables.NamedTable> named = new ArrayList<>();
        studies.online().ifPresent(o -> named.addAll(o.named()));
        studies.continual().ifPresent(c -> named.addAll(c.named()));
        replicas.ifPresent(r -> named.addAll(r.named()));
        named.addAll(tables.named());
        for (AnalysisTables.NamedTable table : named) {
            html.append("<h2>").append(table.name()).append("</h2>\n");
            table(html, table.rows(), table.name());
        }
        html.append("</body>\n</html>\n");
        try {
            storage.writeText(file, html.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void table(StringBuilder html, Dataset<Row> rows, String name) {
        long count = rows.count();
        List<Row> shown = rows.limit(MAX_ROWS).collectAsList();
        if (count > shown.size()) {
            html.append("<p>First ").append(shown.size()).append(" of ").append(count).append(" rows; all in <code>")
                    .append(name).append(".csv</code>.</p>\n");
        }
        html.append("<table>\n<tr>");
        for (String column : rows.columns()) {
            html.append("<th>").append(escape(column)).append("</th>");
        }
        html.append("</tr>\n");
        for (Row row : shown) {
            html.append("<tr>");
            for (int i = 0; i < row.length(); i++) {
                Object value = row.get(i);
                boolean number = value instanceof Number;
                html.append(number ? "<td>" : "<td class=\"text\">").append(escape(format(value))).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return String.format(Locale.ROOT, "%.6g", d);
        }
        return value.toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package org.neuroplastic.jobs.analyze;

/**
 * What an analysis covered, for the console.
 *
 * @param runs   runs analysed
 * @param trials trials in the sweep's table, or 0 without one
 * @param tables tables written (each as Parquet and CSV)
 * @param plots  PNG plots drawn
 */
public record AnalysisSummary(long runs, long trials, int tables, int plots) {

    public String describe() {
        return "analysed " + runs + " runs" + (trials > 0 ? " of " + trials + " trials" : "") + ": " + tables
                + " tables, " + plots + " plots";
    }
}

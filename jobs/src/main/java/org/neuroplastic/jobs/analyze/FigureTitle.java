package org.neuroplastic.jobs.analyze;

import java.util.Map;

/**
 * A chart's title names what is drawn (a run, a setting, the best-ranked runs) and on how many seeds it rests,
 * so a figure cut out of the report still says how much evidence it carries.
 */
final class FigureTitle {

    private FigureTitle() {
    }

    /** {@code "what, subject — n seeds"}: every line or cell of the chart averages {@code seeds} replicas. */
    static String of(String what, String subject, int seeds) {
        return what + ", " + subject + " \u2014 " + seeds + (seeds == 1 ? " seed" : " seeds");
    }

    /** As {@link #of}, for settings with different replica counts: {@code "— 3 to 5 seeds"}. */
    static String of(String what, String subject, int fewestSeeds, int mostSeeds) {
        if (fewestSeeds == mostSeeds) {
            return of(what, subject, fewestSeeds);
        }
        return what + ", " + subject + " \u2014 " + fewestSeeds + " to " + mostSeeds + " seeds";
    }

    /** For a chart of several runs, each drawn alone: {@code "— 1 seed each"}. */
    static String ofRuns(String what, String subject) {
        return what + ", " + subject + " \u2014 1 seed each";
    }

    /**
     * For a chart of the runs {@code labels} (run id to label, best first), each drawn alone: {@code "run a — 1 seed"}
     * for one, {@code "the 4 best-ranked runs — 1 seed each"} for several.
     */
    static String ofRuns(String what, Map<String, String> labels) {
        return labels.size() == 1 ? of(what, "run " + labels.values().iterator().next(), 1)
                : ofRuns(what, "the " + labels.size() + " best-ranked runs");
    }
}

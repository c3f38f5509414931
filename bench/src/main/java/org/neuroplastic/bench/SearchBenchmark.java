package org.neuroplastic.bench;

import org.apache.hadoop.conf.Configuration;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.sweep.TreeParzenEstimator;
import org.neuroplastic.jobs.sweep.TreeParzenEstimator.Observation;
import org.neuroplastic.jobs.sweep.TrialExpansion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Random search, our TPE and Optuna's TPE side by side: for each objective and seed, each method runs the
 * largest trial count sequentially, each trial seeing every trial before it, and the benchmark prints the
 * best value found after each trial count, median and quartiles over the seeds. Random search is the
 * sweep's {@code method: random} draw ({@link TrialExpansion#random}); our TPE is the sweep's
 * {@link TreeParzenEstimator} with {@code startup_trials} 10, Optuna's {@code n_startup_trials} default;
 * Optuna's is {@code TPESampler(seed=seed)} with its defaults otherwise (Debian's python3-optuna), asked
 * and told over a pipe, and its suggestions are scored by the same Java objective; {@code optuna_5110} is the
 * same sampler with the Parzen log-density Optuna corrected after 3.1 (its pull request 5110), so that a gap to
 * Optuna can be told apart from that defect of the installed version.
 */
@Command(name = "benchmark search", sortOptions = false,
        description = "Best value found by random search, our TPE and Optuna's TPE (needs Debian's python3-optuna).")
public final class SearchBenchmark extends BenchmarkCommand {

    private static final String PACKAGE = "python3-optuna";
    private static final List<String> METHODS = List.of("random", "ours", "optuna", "optuna_5110");
    private static final List<String> OBJECTIVES = List.of("branin", "hartmann6", "iris");

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "20",
            description = "Seeds per objective (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--trials", paramLabel = "N", split = ",", defaultValue = "25,50,100",
            description = "Trial counts after which the best value is reported (default: ${DEFAULT-VALUE}).")
    List<Integer> counts;

    @Option(names = "--objectives", paramLabel = "NAME", split = ",", defaultValue = "branin,hartmann6,iris",
            description = "Objectives among branin, hartmann6 and iris (default: ${DEFAULT-VALUE}).")
    List<String> objectives;

    @Option(names = "--iris-seeds", paramLabel = "N",
            description = "Fewer seeds for the real objective only (default: --seeds).")
    Integer irisSeeds;

    @Option(names = "--iris-epochs", paramLabel = "N", defaultValue = "30",
            description = "Training epochs of one iris trial (default: ${DEFAULT-VALUE}).")
    int irisEpochs;

    @Option(names = "--python", paramLabel = "PATH", defaultValue = "/usr/bin/python3",
            description = "The interpreter python3-optuna installs for (default: ${DEFAULT-VALUE}).")
    String python;

    public static void main(String[] args) {
        BenchmarkCommandLine.main(new SearchBenchmark(), args);
    }

    @Override
    public Integer call() throws IOException {
        if (seeds < 1 || irisEpochs < 1 || (irisSeeds != null && irisSeeds < 1)
                || counts.stream().anyMatch(count -> count < 1)) {
            throw badArgument("--seeds, --trials, --iris-seeds and --iris-epochs take "
                    + "positive whole numbers, found " + seeds + ", " + counts + ", " + irisSeeds + ", " + irisEpochs);
        }
        for (String name : objectives) {
            if (!OBJECTIVES.contains(name)) {
                throw badArgument("--objectives takes branin, hartmann6 and iris, found "
                        + name);
            }
        }
        List<Integer> counts = this.counts.stream().sorted().toList();
        String optunaVersion = OptunaProcess.version(python);
        if (optunaVersion == null) {
            throw new InvalidInputException("search: " + python + " cannot import optuna; install Debian's " + PACKAGE
                    + " (apt-get install -y " + PACKAGE + "), or name an interpreter that has it with --python");
        }
        BenchmarkSession.nativeThreads(1);
        System.out.println("search: best value found (minimised) by random search, our TPE and Optuna's TPE");
        BenchmarkProvenance.of(BenchmarkProvenance.checkout()).print(System.out);
        System.out.println("optuna: " + optunaVersion + " (" + python + "), TPESampler(seed=seed), defaults otherwise");
        System.out.println("optuna_5110: the same with the Parzen log-density of Optuna's pull request 5110 (issue 5109: "
                + "the installed truncated normal's log-density leaves out -log(scale); fixed upstream after 3.1)");
        System.out.println("ours: TreeParzenEstimator, startup_trials " + TreeParzenEstimator.DEFAULT_STARTUP_TRIALS
                + " (Optuna's n_startup_trials default)");
        System.out.println("random: the sweep's method: random draws");
        System.out.println("trials: " + counts + " (each method runs " + counts.get(counts.size() - 1)
                + " per seed, sequentially; best_after_N: the best of its first N)");
        int maxTrials = counts.get(counts.size() - 1);
        try (OptunaProcess optuna = OptunaProcess.start(python)) {
            for (String name : objectives) {
                SearchObjective objective = switch (name) {
                    case "branin" -> SyntheticObjectives.branin();
                    case "hartmann6" -> SyntheticObjectives.hartmann6();
                    default -> IrisObjective.read(Storage.of(new Configuration()),
                            BenchmarkProvenance.checkout().toString(), irisEpochs);
                };
                int n = name.equals("iris") && irisSeeds != null ? irisSeeds : seeds;
                report(objective, run(objective, n, maxTrials, optuna), counts);
            }
        }
        return 0;
    }

    /** Each method's best-so-far curve per seed, and the objective's mean evaluation time. */
    private record Runs(Map<String, double[][]> curves, int seeds, double secondsPerEvaluation, double seconds) {
    }

    private static Runs run(SearchObjective objective, int seeds, int trials, OptunaProcess optuna) {
        double[][] random = new double[seeds][];
        double[][] ours = new double[seeds][];
        double[][] theirs = new double[seeds][];
        double[][] theirsFixed = new double[seeds][];
        long started = System.nanoTime();
        long[] evaluationNanos = new long[1];
        Evaluation evaluate = setting -> {
            long t = System.nanoTime();
            double v = objective.value(setting);
            evaluationNanos[0] += System.nanoTime() - t;
            return v;
        };
        for (int seed = 0; seed < seeds; seed++) {
            random[seed] = randomSearch(objective, seed, trials, evaluate);
            ours[seed] = ourTpe(objective, seed, trials, evaluate);
            theirs[seed] = optunaTpe(objective, seed, trials, evaluate, optuna, false);
            theirsFixed[seed] = optunaTpe(objective, seed, trials, evaluate, optuna, true);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Runs(Map.of("random", random, "ours", ours, "optuna", theirs, "optuna_5110", theirsFixed), seeds,
                evaluationNanos[0] / 1e9 / ((double) METHODS.size() * seeds * trials), seconds);
    }

    @FunctionalInterface
    private interface Evaluation {
        double of(Map<String, String> setting);
    }

    private static double[] randomSearch(SearchObjective objective, long seed, int trials, Evaluation evaluate) {
        List<Map<String, String>> settings = TrialExpansion.random(objective.parameters(), trials, seed);
        BestSoFar best = new BestSoFar(trials);
        for (Map<String, String> setting : settings) {
            best.add(evaluate.of(setting));
        }
        return best.curve;
    }

    private static double[] ourTpe(SearchObjective objective, long seed, int trials, Evaluation evaluate) {
        TreeParzenEstimator estimator = new TreeParzenEstimator(objective.parameters(),
                TreeParzenEstimator.DEFAULT_STARTUP_TRIALS, seed);
        List<Observation> finished = new ArrayList<>();
        BestSoFar best = new BestSoFar(trials);
        for (int i = 0; i < trials; i++) {
            Map<String, String> setting = estimator.suggest(i, finished);
            double value = evaluate.of(setting);
            finished.add(new Observation(setting, value));
            best.add(value);
        }
        return best.curve;
    }

    private static double[] optunaTpe(SearchObjective objective, long seed, int trials, Evaluation evaluate,
                                      OptunaProcess optuna, boolean fix5110) {
        optuna.study(seed, objective.parameters(), fix5110);
        BestSoFar best = new BestSoFar(trials);
        for (int i = 0; i < trials; i++) {
            AskTellCodec.Ask ask = optuna.ask();
            double value = evaluate.of(ask.setting());
            optuna.tell(ask.number(), value);
            best.add(value);
        }
        return best.curve;
    }

    private static final class BestSoFar {
        final double[] curve;
        private int n;

        BestSoFar(int trials) {
            curve = new double[trials];
        }

        void add(double value) {
            curve[n] = n == 0 ? value : Math.min(curve[n - 1], value);
            n++;
        }
    }

    private static void report(SearchObjective objective, Runs runs, List<Integer> counts) {
        String name = objective.name();
        System.out.println("objective " + name + ": " + objective.description());
        System.out.printf(Locale.ROOT, "%s seeds: %d (0..%d) wall_s: %.0f objective_s_per_trial: %.4f%n", name,
                runs.seeds(), runs.seeds() - 1, runs.seconds(), runs.secondsPerEvaluation());
        for (int count : counts) {
            for (String method : METHODS) {
                Quartiles q = Quartiles.of(after(runs.curves().get(method), count));
                System.out.printf(Locale.ROOT, "%s best_after_%d %-11s median=%.6f q1=%.6f q3=%.6f%n", name, count,
                        method, q.median(), q.q1(), q.q3());
            }
        }
        ratio(objective, runs, "optuna", 50, counts, "<=");
        ratio(objective, runs, "optuna_5110", 50, counts, "<=");
        ratio(objective, runs, "random", 100, counts, "<");
    }

    /**
     * One goal line: the medians of our TPE and {@code other} after {@code count} trials, and the ratio of
     * their excesses over the objective's reference (the known minimum; 0 for a loss).
     */
    private static void ratio(SearchObjective objective, Runs runs, String other, int count, List<Integer> counts,
                              String goal) {
        if (!counts.contains(count)) {
            return;
        }
        double ours = Quartiles.of(after(runs.curves().get("ours"), count)).median();
        double theirs = Quartiles.of(after(runs.curves().get(other), count)).median();
        boolean holds = goal.equals("<=") ? ours <= theirs : ours < theirs;
        System.out.printf(Locale.ROOT, "%s ours_vs_%s_median_at_%d: ours=%.6f %s=%.6f excess_ratio=%.3f "
                        + "goal: ours%s%s %s%n", objective.name(), other, count, ours, other, theirs,
                (ours - objective.reference()) / (theirs - objective.reference()), goal, other,
                holds ? "holds" : "missed");
    }

    private static double[] after(double[][] curves, int count) {
        double[] values = new double[curves.length];
        for (int s = 0; s < curves.length; s++) {
            values[s] = curves[s][count - 1];
        }
        return values;
    }
}

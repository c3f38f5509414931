package org.neuroplastic.bench;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.sweep.EarlyStop;
import org.neuroplastic.jobs.sweep.SweepConfig;
import org.neuroplastic.jobs.sweep.SweepJob;
import org.neuroplastic.jobs.sweep.TrialsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) against synchronous halving on the same random
 * random search of one plastic layer (learning rate, Hebbian eta, connection density, width; ranked by the loss
 * on a validation quarter of the training rows, as a study selects) on digits, iris or Fashion-MNIST ({@link HalvingSweep}), in
 * parallel mode with one trial per task slot: per repeat (a search seed), both sweeps draw the same settings;
 * they run one after the other, in alternating order, in one JVM, after an untimed warm-up sweep. For each: the wall time, the time until
 * its best trial ended, the trials ended per minute, and for ASHA the time until it ended a trial as good as
 * synchronous halving's best (the issue's goal: at most 0.6 of synchronous halving's time to its best).
 */
@Command(name = "benchmark halving", sortOptions = false,
        description = "ASHA against synchronous successive halving: time until the best trial, trials per minute.")
public final class HalvingBenchmark extends BenchmarkCommand {

    @Option(names = "--objective", paramLabel = "NAME", defaultValue = "digits",
            description = "The sweep raced on: digits (trials of seconds), iris (a fraction of a second) or "
                    + "fashion-mnist (seconds per rung; needs Debian's dataset-fashion-mnist) (default: ${DEFAULT-VALUE}).")
    String objective;

    @Option(names = "--trials", paramLabel = "N", defaultValue = "27",
            description = "Trials per sweep (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
            description = "Search seeds, each run by both halvings (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "27",
            description = "Epochs of a trial that is never stopped (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--rungs", paramLabel = "K", defaultValue = "2",
            description = "Rungs before the last epoch (default: ${DEFAULT-VALUE}).")
    int rungs;

    @Option(names = "--reduction-factor", paramLabel = "ETA", defaultValue = "3",
            description = "Fraction 1/ETA of a rung goes on (default: ${DEFAULT-VALUE}).")
    int reductionFactor;

    @Option(names = "--min-epochs", paramLabel = "M", defaultValue = "3",
            description = "Epochs at the first rung (default: ${DEFAULT-VALUE}).")
    int minEpochs;

    @Option(names = "--metric", paramLabel = "NAME", defaultValue = "validation_loss",
            description = "The loss the sweeps rank by (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[2]",
            description = "Spark master; parallelism is its task slots (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--model", description = "Race the halvings' schedules without training instead "
            + "(HalvingModel: 2 slots, a quality and a cost per epoch drawn per trial, --repeats draws): what ASHA can "
            + "gain in this protocol when only the schedule costs time, for costs per epoch 1 to 16 times the "
            + "cheapest trial's.")
    boolean model;

    public static void main(String[] args) {
        BenchmarkCommandLine.main(new HalvingBenchmark(), args);
    }

    @Override
    public Integer call() throws IOException {
        HalvingSweep sweep = HalvingSweep.named(objective);
        if (sweep == null) {
            throw badArgument("--objective digits, iris or fashion-mnist, found " + objective);
        }
        if (trials < 2 || repeats < 1 || epochs < 2 || rungs < 1 || reductionFactor < 2 || minEpochs < 1) {
            throw badArgument("--trials >= 2, --repeats >= 1, --epochs >= 2, "
                    + "--rungs >= 1, --reduction-factor >= 2 and --min-epochs >= 1, found " + trials + ", " + repeats
                    + ", " + epochs + ", " + rungs + ", " + reductionFactor + ", " + minEpochs);
        }
        if (model) {
            modelRace();
            return 0;
        }
        BenchmarkSession.nativeThreads(1);
        SparkSession spark = BenchmarkSession.spark(master, "halving-benchmark");
        int slots = spark.sparkContext().defaultParallelism();
        Storage storage = Storage.of(new Configuration());
        Path checkout = BenchmarkProvenance.checkout();
        System.out.println("halving: asynchronous (asha) against synchronous successive halving, same settings");
        BenchmarkProvenance.of(BenchmarkProvenance.checkout()).print(System.out);
        System.out.printf(Locale.ROOT, "sweep: random search of %d %s trials (learning rate, hebbian eta, density, "
                        + "width), %d epochs, %d rungs from epoch %d, reduction factor %d, ranked by %s, parallelism %d "
                        + "on %s%n", trials, sweep.objective(), epochs, rungs, minEpochs, reductionFactor, metric, slots,
                master);
        System.out.println("objective: " + sweep.description());
        System.out.println("time_to_best_s: from the sweep's start to the end of its best trial; asha_to_sync_best_s: "
                + "to the end of ASHA's first trial as good as synchronous halving's best; epochs_trained, width_epochs "
                + "(epochs x hidden width) and training_s (the trials table's wall_seconds): summed over trials; busy: "
                + "training_s over the slots' time in the sweep's wall");
        // Untimed: the first sweep in a JVM pays for loading classes, compiling and reading the data.
        race(spark, storage, sweep.yaml(checkout, 2, 2, 99, metric, slots, new HalvingSweep.Halving("synchronous", 1, 2, 1)));
        List<Double> ratios = new ArrayList<>();
        List<Double> wallRatios = new ArrayList<>();
        List<Double> throughputRatios = new ArrayList<>();
        List<Double> epochRatios = new ArrayList<>();
        List<Double> workRatios = new ArrayList<>();
        List<Double> trainingRatios = new ArrayList<>();
        Map<String, List<Double>> busy = Map.of("synchronous", new ArrayList<>(), "asha", new ArrayList<>());
        for (int repeat = 0; repeat < repeats; repeat++) {
            long seed = 100 + repeat;
            Map<String, HalvingRace> races = new HashMap<>();
            List<String> order = repeat % 2 == 0 ? List.of("synchronous", "asha") : List.of("asha", "synchronous");
            for (String kind : order) {
                races.put(kind, race(spark, storage, sweep.yaml(checkout, epochs, trials, seed, metric, slots,
                        new HalvingSweep.Halving(kind, rungs, reductionFactor, minEpochs))));
            }
            HalvingRace sync = races.get("synchronous");
            HalvingRace asha = races.get("asha");
            double syncBest = sync.best();
            double ratio = asha.secondsToReach(syncBest) / sync.secondsToReach(syncBest);
            ratios.add(ratio);
            wallRatios.add(asha.secondsToReach(syncBest) / sync.wallSeconds());
            throughputRatios.add(asha.trialsPerMinute() / sync.trialsPerMinute());
            epochRatios.add((double) asha.epochsTrained() / sync.epochsTrained());
            workRatios.add((double) asha.widthEpochs() / sync.widthEpochs());
            trainingRatios.add(asha.trainingSeconds() / sync.trainingSeconds());
            for (String kind : List.of("synchronous", "asha")) {
                HalvingRace r = races.get(kind);
                System.out.printf(Locale.ROOT, "seed %d %s: wall_s %.1f best %.5f time_to_best_s %.1f "
                                + "trials_per_minute %.1f epochs_trained %d width_epochs %d training_s %.1f busy %.2f%s%n",
                        seed, kind, r.wallSeconds(), r.best(), r.secondsToReach(r.best()), r.trialsPerMinute(),
                        r.epochsTrained(), r.widthEpochs(), r.trainingSeconds(), r.busyFraction(slots),
                        kind.equals("asha") ? String.format(Locale.ROOT, " asha_to_sync_best_s %.1f",
                                r.secondsToReach(syncBest)) : "");
                busy.get(kind).add(r.busyFraction(slots));
            }
        }
        System.out.printf(Locale.ROOT, "asha_time_to_sync_best_ratio: median %.3f over %d seeds %s (goal <= 0.6; NaN: "
                + "ASHA found no trial as good)%n", median(ratios), repeats, ratios);
        System.out.printf(Locale.ROOT, "asha_time_to_sync_best_over_sync_wall: median %.3f%n", median(wallRatios));
        System.out.printf(Locale.ROOT, "asha_trials_per_minute_ratio: median %.3f%n", median(throughputRatios));
        // Where a longer ASHA sweep's time goes: more work (its promotions), slower work, or idle slots.
        System.out.printf(Locale.ROOT, "asha_epochs_trained_ratio: median %.3f; asha_width_epochs_ratio: median %.3f; "
                        + "asha_training_seconds_ratio: median %.3f; busy: median %.2f synchronous, %.2f asha%n",
                median(epochRatios), median(workRatios), median(trainingRatios), median(busy.get("synchronous")),
                median(busy.get("asha")));
        spark.stop();
        return 0;
    }

    /**
     * The same protocol as the real race on {@link HalvingModel}: per draw (seed 100 + r), each trial's width uniform
     * in 16-256 as in the sweeps, its cost per epoch growing linearly with it from 1 to {@code ratio}, its quality
     * uniform; medians over the draws, for ASHA deciding on four clocks: epochs (what ours did before it charged
     * work), the wall clock (the paper's ASHA, and ours when its cost per epoch is right), and clocks that make the
     * spread of costs twice or half what it is (ours when its estimate is off by that much).
     */
    private void modelRace() {
        HalvingModel halving = new HalvingModel(new HalvingModel.Settings(epochs,
                new EarlyStop(rungs, reductionFactor, minEpochs, EarlyStop.Kind.ASHA).rungEpochs(), reductionFactor, 2));
        System.out.println("halving model: the schedules alone, no training (HalvingModel)");
        System.out.printf(Locale.ROOT, "sweep: %d trials, %d epochs, %d rungs from epoch %d, reduction factor %d, 2 slots, "
                + "%d draws; width uniform in 16-256, a trial's cost per epoch 1 + (ratio - 1) * (width - 16) / 240; "
                + "ASHA's clock charges an epoch 1 (epochs), its cost (wall), or its cost with ratio - 1 doubled "
                + "(spread_x2) or halved (spread_x0.5)%n",
                trials, epochs, rungs, minEpochs, reductionFactor, repeats);
        List<String> clocks = List.of("epochs", "wall", "spread_x2", "spread_x0.5");
        for (double ratio : new double[] {1, 2, 4, 8, 16}) {
            Map<String, List<HalvingModel.Race>> races = new HashMap<>();
            for (int r = 0; r < repeats; r++) {
                Random random = new Random(100 + r);
                double[] cost = new double[trials];
                double[] wider = new double[trials];
                double[] narrower = new double[trials];
                double[] quality = new double[trials];
                for (int i = 0; i < trials; i++) {
                    double spread = (random.nextInt(241)) / 240.0;
                    cost[i] = 1 + (ratio - 1) * spread;
                    wider[i] = 1 + 2 * (ratio - 1) * spread;
                    narrower[i] = 1 + (ratio - 1) / 2 * spread;
                    quality[i] = random.nextDouble();
                }
                double[] ones = new double[trials];
                Arrays.fill(ones, 1);
                Map<String, double[]> clock = Map.of("epochs", ones, "wall", cost, "spread_x2", wider, "spread_x0.5",
                        narrower);
                for (String c : clocks) {
                    races.computeIfAbsent(c, k -> new ArrayList<>()).add(halving.race(quality, cost, clock.get(c)));
                }
            }
            for (String c : clocks) {
                List<HalvingModel.Race> rs = races.get(c);
                System.out.printf(Locale.ROOT, "cost_ratio %.0f clock %s: asha_time_to_sync_best_ratio median %.3f, "
                                + "asha_time_to_sync_best_over_sync_wall median %.3f, asha_wall_over_sync_wall median %.3f%n",
                        ratio, c, median(rs.stream().map(x -> x.ashaTimeToSyncBest() / x.syncTimeToBest()).toList()),
                        median(rs.stream().map(x -> x.ashaTimeToSyncBest() / x.syncWall()).toList()),
                        median(rs.stream().map(x -> x.ashaWall() / x.syncWall()).toList()));
            }
        }
    }

    /** The trials table's column of the swept width (every swept key has one, its value as written). */
    private static final String WIDTH_COLUMN = "network_hidden_0_size";

    private static HalvingRace race(SparkSession spark, Storage storage, String sweep) throws IOException {
        Location out = storage.locate(Path.of(System.getProperty("java.io.tmpdir"), "halving-" + System.nanoTime())
                .toString());
        try {
            Instant start = Instant.now();
            SweepJob.run(SweepConfig.read(ConfigDocument.parse("halving.yaml", sweep, List.of())), spark, out, false,
                    new PrintStream(new ByteArrayOutputStream(), true));
            Instant end = Instant.now();
            Map<String, Instant> ended = new HashMap<>();
            for (Row run : spark.read().parquet(out.resolve(ResultWriter.RUNS).uri()).select("trial_id", "ended_at")
                    .collectAsList()) {
                ended.put(run.getString(0), ((Timestamp) run.get(1)).toInstant());
            }
            List<HalvingRace.TrialEnd> ends = new ArrayList<>();
            for (Row trial : spark.read().parquet(out.resolve(TrialsTable.FOLDER).uri()).select("trial_id", "best_metric",
                    "epochs_completed", WIDTH_COLUMN, "wall_seconds").collectAsList()) {
                if (!trial.isNullAt(1) && ended.containsKey(trial.getString(0))) {
                    ends.add(new HalvingRace.TrialEnd(trial.getString(0), ended.get(trial.getString(0)), trial.getDouble(1),
                            trial.getInt(2), Integer.parseInt(trial.getString(3)), trial.getDouble(4)));
                }
            }
            return new HalvingRace(start, end, ends);
        } finally {
            storage.delete(out);
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}

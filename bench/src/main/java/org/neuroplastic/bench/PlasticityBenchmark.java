package org.neuroplastic.bench;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.neuroplastic.model.network.FusedAdam;
import org.neuroplastic.model.network.LayerSpec;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.OutputSpec;
import org.neuroplastic.model.network.UpdaterSpec;
import org.neuroplastic.model.plasticity.AdaptationSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.InferencePlasticity;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.Regrowth;
import org.neuroplastic.model.plasticity.ScalingSettings;
import org.neuroplastic.model.plasticity.StructuralSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Trains the plastic network and its dense baseline (784 -> 256 -> 128 -> 10, batch 128, Adam) side by
 * side in one run, interleaving blocks of steps so that the machine's noise hits both alike, and measures
 * a large ND4J matrix multiply between the blocks for the FLOP-rate reference; then one Adam update of
 * the plastic network's learned parameters, Deeplearning4j's updater against {@link FusedAdam}.
 *
 * <p>Prints {@code name: value} lines. FLOPs of a training step are counted as 3x the forward pass's
 * matrix multiplies ({@code 2 * batch * sum(nIn * nOut)} each), the usual convention, for both networks:
 * the plastic layer's extra work (Hebbian correlation, effective weight) is cost, not credited work.
 */
@Command(name = "benchmark plasticity", sortOptions = false,
        description = "Training step of the plastic network against its dense baseline, the GEMM rate, and one Adam "
                + "update (Deeplearning4j's against FusedAdam).")
public final class PlasticityBenchmark extends BenchmarkCommand {

    private static final int BATCH = 128;
    private static final int[] SIZES = {784, 256, 128, 10};
    private static final int GEMM_N = 2048;
    private static final int WARM_UP_STEPS = 120;
    private static final String BREAKDOWN = "breakdown";

    @Parameters(index = "0", arity = "0..1", paramLabel = "ROUNDS", defaultValue = "7",
            description = "Measured rounds, each one block of steps of every network (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Parameters(index = "1", arity = "0..1", paramLabel = "STEPS_PER_BLOCK", defaultValue = "50",
            description = "Training steps per network and round (default: ${DEFAULT-VALUE}).")
    int stepsPerBlock;

    @Parameters(index = "2", arity = "0..1", paramLabel = BREAKDOWN,
            description = "Instead: the extra time per step of each mechanism alone over the dense baseline.")
    String part;

    public static void main(String[] args) {
        BenchmarkCommandLine.main(new PlasticityBenchmark(), args);
    }

    @Override
    public Integer call() {
        if (rounds < 1 || stepsPerBlock < 1) {
            throw badArgument("ROUNDS and STEPS_PER_BLOCK must be >= 1, found " + rounds + " and " + stepsPerBlock);
        }
        if (part != null && !part.equals(BREAKDOWN)) {
            throw badArgument("the third argument can only be '" + BREAKDOWN + "', found '" + part + "'");
        }
        System.out.println("plasticity: " + (part == null ? "plastic against dense training steps, GEMM rate, Adam update"
                : "extra time per step of each mechanism over the dense baseline"));
        BenchmarkProvenance.of(BenchmarkProvenance.checkout()).print(System.out);
        Nd4j.getRandom().setSeed(42);
        List<DataSet> batches = syntheticBatches(20);
        if (part != null) {
            breakdown(batches, rounds, stepsPerBlock);
            return 0;
        }

        MultiLayerNetwork plastic = NetworkFactory.build(spec(NetworkSpec.Variant.PLASTIC));
        MultiLayerNetwork dense = NetworkFactory.build(spec(NetworkSpec.Variant.DENSE));
        // Warm-up covers a rewiring (every 100 steps) so that its first, JIT-cold run is not measured.
        train(plastic, batches, WARM_UP_STEPS);
        train(dense, batches, WARM_UP_STEPS);
        Gemm gemmOperands = new Gemm();
        gemmOperands.seconds();

        double[] plasticStep = new double[rounds];
        double[] denseStep = new double[rounds];
        double[] gemm = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            // Alternate which network goes first, so that neither always follows the matrix multiply.
            if (r % 2 == 0) {
                plasticStep[r] = train(plastic, batches, stepsPerBlock) / stepsPerBlock;
                denseStep[r] = train(dense, batches, stepsPerBlock) / stepsPerBlock;
            } else {
                denseStep[r] = train(dense, batches, stepsPerBlock) / stepsPerBlock;
                plasticStep[r] = train(plastic, batches, stepsPerBlock) / stepsPerBlock;
            }
            gemm[r] = gemmOperands.seconds();
        }
        double plasticSeconds = median(plasticStep);
        double denseSeconds = median(denseStep);
        double gemmFlops = 2.0 * GEMM_N * GEMM_N * (double) GEMM_N / median(gemm);
        double stepFlops = 0;
        for (int i = 0; i + 1 < SIZES.length; i++) {
            stepFlops += 3.0 * 2.0 * BATCH * SIZES[i] * SIZES[i + 1];
        }
        print("plastic_vs_dense_throughput_ratio", denseSeconds / plasticSeconds);
        print("plastic_examples_per_second", BATCH / plasticSeconds);
        print("dense_examples_per_second", BATCH / denseSeconds);
        print("gemm_efficiency", stepFlops / plasticSeconds / gemmFlops);
        print("dense_gemm_efficiency", stepFlops / denseSeconds / gemmFlops);
        print("gemm_gflops", gemmFlops / 1e9);
        print("plastic_ms_per_step", plasticSeconds * 1e3);
        print("dense_ms_per_step", denseSeconds * 1e3);
        adamUpdates(plastic, rounds, stepsPerBlock);
        System.out.println("threads: " + Runtime.getRuntime().availableProcessors() + " cores, rounds " + rounds
                + " x " + stepsPerBlock + " steps, medians");
        return 0;
    }

    /**
     * Where the plastic step's time goes: each mechanism alone against the dense baseline, interleaved
     * like the main measurement, as milliseconds per step above the baseline's.
     */
    private static void breakdown(List<DataSet> batches, int rounds, int stepsPerBlock) {
        PlasticitySettings off = PlasticitySettings.off();
        PlasticitySettings all = allMechanisms();
        String[] names = {"dense", "plastic_all_off", "hebbian", "scaling", "structural", "adaptation", "all"};
        PlasticitySettings[] settings = {null, off, off.withHebbian(all.hebbian()), off.withScaling(all.scaling()),
            off.withStructural(all.structural().withRegrowth(Regrowth.RANDOM)), off.withAdaptation(all.adaptation()), all};
        MultiLayerNetwork[] nets = new MultiLayerNetwork[names.length];
        for (int i = 0; i < names.length; i++) {
            nets[i] = settings[i] == null ? NetworkFactory.build(spec(NetworkSpec.Variant.DENSE))
                    : NetworkFactory.build(spec(NetworkSpec.Variant.PLASTIC, settings[i]));
            train(nets[i], batches, WARM_UP_STEPS);
        }
        double[][] times = new double[names.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < names.length; i++) {
                times[i][r] = train(nets[i], batches, stepsPerBlock) / stepsPerBlock;
            }
        }
        double dense = median(times[0]);
        print("dense_ms_per_step", dense * 1e3);
        for (int i = 1; i < names.length; i++) {
            print(names[i] + "_extra_ms_per_step", (median(times[i]) - dense) * 1e3);
        }
    }

    /**
     * One Adam update of the plastic network's learned parameters, Deeplearning4j's updater against
     * {@link FusedAdam}, interleaved on the same gradient and state sizes; medians over the rounds.
     */
    private static void adamUpdates(MultiLayerNetwork plastic, int rounds, int updatesPerBlock) {
        long learned = plastic.getUpdater().getStateViewArray().length() / 2;
        INDArray gradient = Nd4j.randn(DataType.FLOAT, 1, learned).muli(1e-3);
        GradientUpdater<?> stock = new Adam(1e-3).instantiate(Nd4j.create(DataType.FLOAT, 1, 2 * learned), true);
        GradientUpdater<?> fused = new FusedAdam(1e-3).instantiate(Nd4j.create(DataType.FLOAT, 1, 2 * learned), true);
        double[] stockSeconds = new double[rounds];
        double[] fusedSeconds = new double[rounds];
        INDArray update = gradient.dup();
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < updatesPerBlock; i++) {
                update.assign(gradient);
                stock.applyUpdater(update, i, 0);
            }
            long middle = System.nanoTime();
            for (int i = 0; i < updatesPerBlock; i++) {
                update.assign(gradient);
                fused.applyUpdater(update, i, 0);
            }
            stockSeconds[r] = (middle - start) / 1e9 / updatesPerBlock;
            fusedSeconds[r] = (System.nanoTime() - middle) / 1e9 / updatesPerBlock;
        }
        System.out.printf(Locale.ROOT, "adam_ms_per_update: dl4j=%.3f fused=%.3f (%d learned parameters)%n",
                median(stockSeconds) * 1e3, median(fusedSeconds) * 1e3, learned);
    }

    static PlasticitySettings allMechanisms() {
        return new PlasticitySettings(
                HebbianSettings.on(HebbianRule.OJA, 0.01, PlasticityCoefficient.FREE, 0.01),
                ScalingSettings.on(0.5, 0.01, 0.5, 2.0),
                StructuralSettings.on(0.5, 0.1, 100, Regrowth.HEBBIAN),
                AdaptationSettings.on(0.5, 0.001),
                0.01, InferencePlasticity.off());
    }

    /** The benchmark network, 784 -> 256 -> 128 -> 10 with every mechanism on in both hidden layers. */
    static NetworkSpec spec(NetworkSpec.Variant variant) {
        return spec(variant, allMechanisms());
    }

    static NetworkSpec spec(NetworkSpec.Variant variant, PlasticitySettings all) {
        List<LayerSpec> hidden = List.of(new LayerSpec(SIZES[1], "relu", all), new LayerSpec(SIZES[2], "relu", all));
        return new NetworkSpec(SIZES[0], hidden, OutputSpec.classification(SIZES[3]), UpdaterSpec.adam(1e-3), 42, variant);
    }

    private static List<DataSet> syntheticBatches(int count) {
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, SIZES[0]);
            INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, SIZES[3]);
            for (int row = 0; row < BATCH; row++) {
                y.putScalar(row, (row * 7 + i) % SIZES[3], 1.0);
            }
            batches.add(new DataSet(x, y));
        }
        return batches;
    }

    private static double train(MultiLayerNetwork net, List<DataSet> batches, int steps) {
        long start = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            net.fit(batches.get(s % batches.size()));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The reference matrix multiply, its operands allocated once so that no round pays for their memory. */
    private static final class Gemm {
        private final INDArray a = Nd4j.rand(DataType.FLOAT, GEMM_N, GEMM_N);
        private final INDArray b = Nd4j.rand(DataType.FLOAT, GEMM_N, GEMM_N);
        private final INDArray c = Nd4j.createUninitialized(DataType.FLOAT, GEMM_N, GEMM_N);

        double seconds() {
            long start = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void print(String name, double value) {
        System.out.println(name + ": " + String.format(Locale.ROOT, "%.3f", value));
    }
}

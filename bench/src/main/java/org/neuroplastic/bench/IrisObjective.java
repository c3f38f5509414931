package org.neuroplastic.bench;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.sweep.Distribution;
import org.neuroplastic.jobs.sweep.SweptParameter;
import org.neuroplastic.jobs.train.HeldOutEvaluation;
import org.neuroplastic.model.network.NetworkFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The search benchmark's real objective: conf/iris.yaml's plastic network (Hebbian and structural
 * plasticity), trained with plain single-JVM DL4J as a parallel-mode sweep trains a trial (layers rewire
 * themselves, the minibatch order shuffled per epoch), scored by its mean cross-entropy on a validation
 * split of the training rows. Of data/iris.csv's 150 rows, shuffled once with seed 7, 30 are set aside as a
 * test split the search never sees, 30 validate and 90 train; features are standardised with the training
 * rows' means and deviations. The network's seed is the configuration's, so a setting's value is a function
 * of the setting alone. A setting that diverges (a non-finite loss) is scored ln 3, the loss of a network
 * that predicts all three classes alike.
 */
final class IrisObjective implements SearchObjective {

    static final double DIVERGED = Math.log(3);
    private static final int FEATURES = 4;
    private static final int CLASSES = 3;
    private static final int TEST_ROWS = 30;
    private static final int VALIDATION_ROWS = 30;

    private static final List<SweptParameter> PARAMETERS = List.of(
            parameter("network.updater.learning_rate", Distribution.Kind.LOG_UNIFORM, 0.001, 0.1),
            parameter("network.hidden.0.plasticity.hebbian.eta", Distribution.Kind.LOG_UNIFORM, 0.0001, 0.1),
            parameter("network.hidden.0.plasticity.structural.density", Distribution.Kind.UNIFORM, 0.3, 1.0),
            parameter("network.hidden.0.size", Distribution.Kind.INT_UNIFORM, 4, 32));

    private final Storage storage;
    private final String configName;
    private final String configText;
    private final String dataName;
    private final int epochs;
    private final List<DataSet> validation;
    private final float[][] trainX;
    private final float[][] trainY;

    private IrisObjective(Storage storage, String configName, String configText, String dataName, int epochs,
                          float[][] x, int[] labels) {
        this.storage = storage;
        this.configName = configName;
        this.configText = configText;
        this.dataName = dataName;
        this.epochs = epochs;
        int[] order = shuffled(x.length, new SplittableRandom(7));
        int trainRows = x.length - TEST_ROWS - VALIDATION_ROWS;
        float[][] train = new float[trainRows][];
        float[][] trainLabels = new float[trainRows][];
        float[][] valX = new float[VALIDATION_ROWS][];
        float[][] valY = new float[VALIDATION_ROWS][];
        for (int i = 0; i < VALIDATION_ROWS; i++) {
            valX[i] = x[order[TEST_ROWS + i]].clone();
            valY[i] = oneHot(labels[order[TEST_ROWS + i]]);
        }
        for (int i = 0; i < trainRows; i++) {
            train[i] = x[order[TEST_ROWS + VALIDATION_ROWS + i]].clone();
            trainLabels[i] = oneHot(labels[order[TEST_ROWS + VALIDATION_ROWS + i]]);
        }
        standardise(train, valX);
        this.trainX = train;
        this.trainY = trainLabels;
        this.validation = List.of(new DataSet(Nd4j.create(valX), Nd4j.create(valY)));
    }

    /** Reads {@code home}/conf/iris.yaml and {@code home}/data/iris.csv; {@code epochs} replaces the configuration's. */
    static IrisObjective read(Storage storage, String home, int epochs) throws IOException {
        String configName = home + "/conf/iris.yaml";
        String configText = storage.readText(storage.locate(configName));
        String dataName = home + "/data/iris.csv";
        List<String> lines = storage.readText(storage.locate(dataName)).lines().skip(1)
                .filter(l -> !l.isBlank()).toList();
        float[][] x = new float[lines.size()][FEATURES];
        int[] labels = new int[lines.size()];
        for (int r = 0; r < lines.size(); r++) {
            String[] fields = lines.get(r).split(",");
            if (fields.length != FEATURES + 1) {
                throw new IOException(dataName + ": line " + (r + 2) + " has " + fields.length + " fields, expected "
                        + (FEATURES + 1));
            }
            for (int f = 0; f < FEATURES; f++) {
                x[r][f] = Float.parseFloat(fields[f]);
            }
            labels[r] = Integer.parseInt(fields[FEATURES].trim());
        }
        return new IrisObjective(storage, configName, configText, dataName, epochs, x, labels);
    }

    @Override
    public String name() {
        return "iris";
    }

    @Override
    public String description() {
        return "conf/iris.yaml's plastic network, " + epochs + " epochs on " + trainX.length + " rows of data/iris.csv, "
                + "validation cross-entropy on " + VALIDATION_ROWS + " others (lower bound 0)";
    }

    @Override
    public List<SweptParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public double reference() {
        return 0;
    }

    @Override
    public double value(Map<String, String> setting) {
        List<String> sets = new ArrayList<>();
        setting.forEach((key, value) -> sets.add(key + "=" + value));
        sets.add("training.epochs=" + epochs);
        // The configuration's data.path is relative to the checkout, which need not be the working folder.
        sets.add("data.path=" + dataName);
        TrainConfig config = TrainConfig.read(ConfigDocument.parse(storage, configName, configText, sets));
        MultiLayerNetwork network = NetworkFactory.build(config.networkFor(FEATURES, Target.classification(CLASSES),
                "data/iris.csv"));
        int batch = config.training().batchSizePerWorker();
        for (int epoch = 0; epoch < config.training().epochs(); epoch++) {
            int[] order = shuffled(trainX.length, new SplittableRandom(1_000_003L * config.network().seed() + epoch));
            for (int start = 0; start < order.length; start += batch) {
                int rows = Math.min(batch, order.length - start);
                float[][] x = new float[rows][];
                float[][] y = new float[rows][];
                for (int i = 0; i < rows; i++) {
                    x[i] = trainX[order[start + i]];
                    y[i] = trainY[order[start + i]];
                }
                network.fit(new DataSet(Nd4j.create(x), Nd4j.create(y)));
                if (!Double.isFinite(network.score())) {
                    return DIVERGED;
                }
            }
        }
        double loss = HeldOutEvaluation.of(network, validation, true).loss();
        return Double.isFinite(loss) ? loss : DIVERGED;
    }

    private static SweptParameter parameter(String key, Distribution.Kind kind, double min, double max) {
        return new SweptParameter(key, List.of(), new Distribution(kind, min, max));
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static float[] oneHot(int label) {
        float[] y = new float[CLASSES];
        y[label] = 1f;
        return y;
    }

    /** Standardises both sets in place with the training rows' means and population deviations. */
    private static void standardise(float[][] train, float[][] other) {
        for (int f = 0; f < FEATURES; f++) {
            double mean = 0;
            for (float[] row : train) {
                mean += row[f];
            }
            mean /= train.length;
            double variance = 0;
            for (float[] row : train) {
                variance += (row[f] - mean) * (row[f] - mean);
            }
            double deviation = Math.sqrt(variance / train.length);
            double scale = deviation > 0 ? deviation : 1;
            for (float[][] set : List.of(train, other)) {
                for (float[] row : set) {
                    row[f] = (float) ((row[f] - mean) / scale);
                }
            }
        }
    }
}

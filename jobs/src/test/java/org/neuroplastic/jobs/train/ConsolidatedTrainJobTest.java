package org.neuroplastic.jobs.train;

import org.neuroplastic.jobs.storage.LocalFiles;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.results.ResultWriter;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The train job on split digits (data/digits.csv.gz, task-incremental, 5 tasks of 2 classes) with
 * {@code training.consolidation} none and ewc, on identical seeds.
 */
class ConsolidatedTrainJobTest {

    private static final String SPLIT_DIGITS = """
            data:
              format: csv
              path: ../data/digits.csv.gz
              task: classification
              classes: 10
              test_fraction: 0.2
              split_seed: 7
              stream: {kind: split, classes_per_task: 2, scenario: task_incremental}
            network:
              n_in: auto
              hidden:
                - size: 32
                  activation: relu
              updater: {name: adam, learning_rate: 0.01}
              seed: 42
            training:
              workers: 2
              batch_size_per_worker: 16
              averaging_frequency: 4
              epochs: 1
              trajectories: false
            """;

    @TempDir
    static Path temp;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static List<Row> naive;
    private static List<Row> ewc;

    @BeforeAll
    static void trainBoth() {
        naive = train("naive");
        ewc = train("ewc", "training.consolidation.method=ewc", "training.consolidation.lambda=10000",
                "training.consolidation.fisher_examples=200");
    }

    private static List<Row> train(String name, String... sets) {
        Path out = temp.resolve(name);
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("conf/split-digits.yaml", SPLIT_DIGITS, List.of(sets)));
        TrainJob.run(config, SPARK.session(), LocalFiles.at(out), null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return SPARK.session().read().parquet(out.resolve(ResultWriter.EVALUATIONS).toString()).orderBy("epoch", "task")
                .collectAsList();
    }

    private static double meanAccuracyAfterLastTask(List<Row> rows) {
        int last = rows.stream().mapToInt(r -> r.<Integer>getAs("epoch")).max().orElseThrow();
        return rows.stream().filter(r -> r.<Integer>getAs("epoch") == last)
                .mapToDouble(r -> r.<Double>getAs("accuracy")).average().orElseThrow();
    }

    @Test
    void firstTaskTrainsIdenticallyBecauseThePenaltyStartsAfterIt() {
        List<Double> naiveFirstTask = naive.stream().filter(r -> r.<Integer>getAs("trained_task") == 0)
                .map(r -> r.<Double>getAs("accuracy")).toList();
        List<Double> ewcFirstTask = ewc.stream().filter(r -> r.<Integer>getAs("trained_task") == 0)
                .map(r -> r.<Double>getAs("accuracy")).toList();

        assertThat(ewcFirstTask).hasSize(5).isEqualTo(naiveFirstTask);
        assertThat(ewc).isNotEqualTo(naive);
    }

    @Test
    void ewcForgetsLessThanNaiveFineTuning() {
        assertThat(meanAccuracyAfterLastTask(ewc)).isGreaterThan(meanAccuracyAfterLastTask(naive) + 0.05);
    }
}

package org.neuroplastic.jobs.data;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Text files read by the executors range by range: however a file is cut, its rows are those of one
 * range, numbered in file order, and a bad line is named by its line in the file; the driver receives
 * counts, never the rows.
 */
class FileDatasetTest {

    private static final int ANY = NetworkConfig.INFERRED;
    private static final long ONE_RANGE = Long.MAX_VALUE;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    Path dir;

    private static List<String> rows(LoadedDataset data) {
        List<String> rows = new ArrayList<>();
        for (Row row : data.rows().orderBy(col(DatasetSchema.ROW_ID)).collectAsList()) {
            rows.add(row.toString());
        }
        return rows;
    }

    /** CSV with every line ending, blank lines and quoted fields. */
    private Path mixedCsv(int lines) throws IOException {
        SplittableRandom random = new SplittableRandom(4);
        StringBuilder text = new StringBuilder("a,\"b\",label\r\n");
        String[] endings = {"\n", "\r\n", "\r"};
        for (int i = 0; i < lines; i++) {
            if (i % 17 == 5) {
                text.append(endings[i % 3]);
            }
            text.append(random.nextInt(-50, 50) / 8.0).append(',').append('"').append(random.nextDouble() * 2500)
                    .append('"').append(',').append(random.nextInt(3)).append(endings[random.nextInt(3)]);
        }
        return Files.writeString(dir.resolve("mixed.csv"), text);
    }

    private static DataSource.Csv csv(Path file) {
        return new DataSource.Csv(LocalFiles.at(file), null, "label", Target.classification(3),
                new DataSource.HoldOut(0.3, 5), false);
    }

    @Test
    void aCsvFileCutIntoManyRangesGivesTheRowsOfOneRange() throws IOException {
        Path file = mixedCsv(400);
        LoadedDataset whole = FileDataset.load(SPARK.session(), csv(file), ANY, ONE_RANGE);

        for (long bytes : new long[] {7, 64, 1000}) {
            LoadedDataset cut = FileDataset.load(SPARK.session(), csv(file), ANY, bytes);

            assertThat(rows(cut)).as("ranges of %d bytes", bytes).isEqualTo(rows(whole));
            assertThat(cut.trainRows()).isEqualTo(whole.trainRows());
            assertThat(cut.slices().getNumPartitions()).isEqualTo(whole.slices().getNumPartitions());
        }
        assertThat(whole.trainRows() + whole.testRows()).isEqualTo(400);
    }

    @Test
    void aBadLineInALaterRangeIsNamedByItsLineInTheFile() throws IOException {
        StringBuilder text = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 120; i++) {
            text.append(i % 10 == 3 ? "\n" : i + "," + (i * 2) + ",1\n");
        }
        text.append("7,x,1\n").append("8,y,1\n");
        Path file = Files.writeString(dir.resolve("bad.csv"), text);

        for (long bytes : new long[] {16, 100, ONE_RANGE}) {
            assertThatThrownBy(() -> FileDataset.load(SPARK.session(), csv(file), ANY, bytes))
                    .as("ranges of %d bytes", bytes)
                    .hasMessage(LocalFiles.at(file) + ":122: column 'b' must be a number, found 'x'");
        }
    }

    @Test
    void aLibSvmFileCutIntoRangesGivesTheRowsOfOneRangeAndNamesTheFirstLineBeyondTheFeatures() throws IOException {
        StringBuilder text = new StringBuilder("# a comment line\n");
        SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < 200; i++) {
            text.append(random.nextInt(2)).append(" 1:").append(random.nextDouble())
                    .append(i % 3 == 0 ? "" : " 4:" + random.nextInt(100)).append(i % 7 == 0 ? " # note\n" : "\n");
            if (i % 23 == 0) {
                text.append("\n");
            }
        }
        Path file = Files.writeString(dir.resolve("d.svm"), text);
        DataSource.LibSvm auto = new DataSource.LibSvm(LocalFiles.at(file), null, 0, Target.classification(2),
                new DataSource.HoldOut(0.25, 1), false);
        LoadedDataset whole = FileDataset.load(SPARK.session(), auto, ANY, ONE_RANGE);
        LoadedDataset cut = FileDataset.load(SPARK.session(), auto, ANY, 50);

        assertThat(whole.features()).isEqualTo(4);
        assertThat(rows(cut)).isEqualTo(rows(whole));

        String wide = text + "1 1:0.5 6:1\n0 9:1\n";
        Files.writeString(file, wide);
        long line = wide.lines().count() - 1;
        DataSource.LibSvm five = new DataSource.LibSvm(LocalFiles.at(file), null, 5, Target.classification(2),
                new DataSource.HoldOut(0.25, 1), false);
        assertThatThrownBy(() -> FileDataset.load(SPARK.session(), five, ANY, 50))
                .hasMessage(LocalFiles.at(file) + ":" + line + ": feature index 6 is beyond the 5 features of data.features");
    }

    @Test
    void theDriverReceivesCountsFromTheTasksNeverTheRows() throws Exception {
        StringBuilder text = new StringBuilder("f0,f1,f2,f3,f4,f5,f6,f7,label\n");
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 20_000; i++) {
            for (int f = 0; f < 8; f++) {
                text.append(random.nextDouble()).append(',');
            }
            text.append(random.nextInt(2)).append('\n');
        }
        Path file = Files.writeString(dir.resolve("large.csv"), text);
        AtomicLong largestResult = new AtomicLong();
        AtomicLong tasks = new AtomicLong();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                tasks.incrementAndGet();
                largestResult.accumulateAndGet(end.taskMetrics().resultSize(), Math::max);
            }
        };
        SPARK.session().sparkContext().addSparkListener(listener);
        try {
            LoadedDataset data = FileDataset.load(SPARK.session(), csv(file), ANY, 512 * 1024);
            assertThat(data.slices().count()).isEqualTo(data.slices().getNumPartitions());
            assertThat(data.trainRows() + data.testRows()).isEqualTo(20_000);
        } finally {
            SPARK.session().sparkContext().listenerBus().waitUntilEmpty();
            SPARK.session().sparkContext().removeSparkListener(listener);
        }
        // About 3 MB of text in 7 ranges: a range's rows would be some 400 KB of results.
        assertThat(Files.size(file)).isGreaterThan(3_000_000);
        assertThat(tasks.get()).isGreaterThan(7);
        assertThat(largestResult.get()).isLessThan(32 * 1024);
    }
}

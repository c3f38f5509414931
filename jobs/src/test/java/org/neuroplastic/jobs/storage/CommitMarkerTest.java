package org.neuroplastic.jobs.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommitMarkerTest {

    private final Storage storage = LocalFiles.storage();

    @Test
    void theMarkerNamesEveryFileOfTheCommitWithItsSize(@TempDir Path dir) throws IOException {
        Location run = LocalFiles.at(dir);
        assertThat(CommitMarker.isCommitted(storage, run)).isFalse();
        storage.writeText(run.resolve("model.zip"), "1234");
        storage.writeText(run.resolve("runs").resolve("run_id=a").resolve("part-0.parquet"), "12");

        CommitMarker.write(storage, run);

        assertThat(CommitMarker.isCommitted(storage, run)).isTrue();
        assertThat(CommitMarker.files(storage, run)).isEqualTo(Map.of("model.zip", 4L, "runs/run_id=a/part-0.parquet", 2L));
        assertThat(Files.readString(dir.resolve(CommitMarker.FILE)))
                .endsWith("4\tmodel.zip\n2\truns/run_id=a/part-0.parquet\n");
    }

    @Test
    void aFileThatIsNotAMarkerIsRefused(@TempDir Path dir) throws IOException {
        Location run = LocalFiles.at(dir);
        Files.writeString(dir.resolve(CommitMarker.FILE), "something else\n");
        assertThatThrownBy(() -> CommitMarker.files(storage, run)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a commit marker");
    }
}

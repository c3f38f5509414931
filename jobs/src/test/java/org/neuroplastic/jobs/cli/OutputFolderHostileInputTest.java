package org.neuroplastic.jobs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.storage.CommitMarker;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --out} folders that must not be written (OutputFolder): symbolic links, files, folders that
 * cannot be created. The rule for links: {@code --out} itself must not be one; folders above it may be,
 * and the job then writes in the real folder.
 */
class OutputFolderHostileInputTest {

    @TempDir
    Path dir;

    private Path generatorConfig() throws IOException {
        return Files.writeString(dir.resolve("g.yaml"), "generator: regression\nrows: 200\npartitions: 1\n");
    }

    @Test
    void outThatIsASymbolicLinkToAnotherFolderIsRefusedEvenWithOverwrite() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("precious.txt"), "keep");
        Path link = Files.createSymbolicLink(dir.resolve("out"), elsewhere);
        Path config = generatorConfig();
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("generate", "--config", config, "--out", link, "--overwrite")
                .assertRejected(before, "--out " + link + " is a symbolic link (to " + elsewhere + "); name the folder itself");
    }

    @Test
    void outThatIsADanglingSymbolicLinkIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("out"), dir.resolve("nowhere"));
        Path config = generatorConfig();
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("generate", "--config", config, "--out", link)
                .assertRejected(before, "--out " + link + " is a symbolic link (to " + dir.resolve("nowhere") + ")");
    }

    @Test
    void sweepOutThatIsASymbolicLinkIsRefusedEvenWhenResuming() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve("out"), elsewhere);
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("sweep", "--config", Path.of("..", "conf", "sweep-hebbian-density.yaml"), "--out", link, "--resume")
                .assertRejected(before, "--out " + link + " is a symbolic link");
    }

    @Test
    void trainOutThatIsASymbolicLinkIsRefusedWhenResuming() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve("out"), elsewhere);
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("train", "--config", Path.of("..", "conf", "quickstart.yaml"), "--out", link, "--resume")
                .assertRejected(before, "--out " + link + " is a symbolic link (to " + elsewhere + "); name the folder itself");
    }

    @Test
    void analyzeOutThatIsASymbolicLinkIsRefused() throws IOException {
        Path results = Files.createDirectories(dir.resolve("results").resolve("runs"));
        CommitMarker.write(LocalFiles.storage(), LocalFiles.at(results.getParent()));
        Path link = Files.createSymbolicLink(dir.resolve("analysis"), Files.createDirectory(dir.resolve("elsewhere")));
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("analyze", "--in", results.getParent(), "--out", link)
                .assertRejected(before, "--out " + link + " is a symbolic link");
    }

    @Test
    void outThatIsAFileIsRefusedEvenWithOverwrite() throws IOException {
        Path file = Files.writeString(dir.resolve("out"), "not a folder");
        Path config = generatorConfig();
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("generate", "--config", config, "--out", file, "--overwrite")
                .assertRejected(before, "--out " + file + " is a file, not a folder");
    }

    @Test
    void outBelowAFileCannotBeCreated() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "not a folder");
        Path config = generatorConfig();
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("generate", "--config", config, "--out", file.resolve("out"))
                .assertRejected(before, "--out " + file.resolve("out") + ": cannot create the folder: ");
    }

    @Test
    void linkedParentFolderIsFollowedAndTheResultsLandInItsTarget() throws IOException {
        Path real = Files.createDirectory(dir.resolve("scratch"));
        Path linkedParent = Files.createSymbolicLink(dir.resolve("linked"), real);
        CommandRun run = CommandRun.of("generate", "--config", generatorConfig(), "--out", linkedParent.resolve("gen"),
                "--master", "local[2]");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("results in " + real.toRealPath().resolve("gen"));
        try (Stream<Path> entries = Files.list(real)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("gen");
        }
        assertThat(real.resolve("gen").resolve("config.yaml")).exists();
    }
}

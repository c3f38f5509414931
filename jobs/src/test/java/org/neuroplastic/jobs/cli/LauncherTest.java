package org.neuroplastic.jobs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** bin/neuroplastic, run from a copy of the project that has not been built. */
class LauncherTest {

    @Test
    void missingJarIsOneLineNamingTheBuildCommandAndExitCodeTwo(@TempDir Path root) throws Exception {
        Path launcher = Files.createDirectories(root.resolve("bin")).resolve("neuroplastic");
        Files.copy(Path.of("..", "bin", "neuroplastic"), launcher);
        Process process = new ProcessBuilder("bash", launcher.toString(), "generate", "--help")
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output.lines()).hasSize(1);
        assertThat(output).contains("no application jar", "README", "mvn");
        assertThat(root.resolve("jobs")).doesNotExist();
    }
}

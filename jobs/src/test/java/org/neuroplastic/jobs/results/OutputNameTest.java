package org.neuroplastic.jobs.results;

import org.junit.jupiter.api.Test;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Names derived from configuration or data stay one path segment inside the output folder. */
class OutputNameTest {

    private static final Path OUT = Path.of("/results/out");

    @Test
    void plainNamesResolveInsideTheFolder() {
        assertThat(OutputName.resolve(LocalFiles.at(OUT), "trial_id", "t0007.zip")).isEqualTo(LocalFiles.at(OUT.resolve("t0007.zip")));
        assertThat(OutputName.require("run_id", "20261128-190000-1a2b3c4d")).isEqualTo("20261128-190000-1a2b3c4d");
    }

    @Test
    void namesThatWouldLeaveTheFolderAreRejected() {
        assertThatThrownBy(() -> OutputName.resolve(LocalFiles.at(OUT), "trial_id", "../../etc/cron.d/x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("trial_id '../../etc/cron.d/x' cannot name a file inside the output folder: it holds a path separator");
        assertThatThrownBy(() -> OutputName.require("run_id", ".."))
                .hasMessage("run_id '..' cannot name a file inside the output folder: it is ..");
        assertThatThrownBy(() -> OutputName.require("run_id", "a\\b"))
                .hasMessageEndingWith("it holds a path separator");
        assertThatThrownBy(() -> OutputName.require("run_id", "/etc"))
                .hasMessageEndingWith("it holds a path separator");
        assertThatThrownBy(() -> OutputName.require("run_id", "a\nb"))
                .hasMessage("run_id 'a\\nb' cannot name a file inside the output folder: it holds a control character");
        assertThatThrownBy(() -> OutputName.require("run_id", ""))
                .hasMessageEndingWith("it is empty");
        assertThatThrownBy(() -> OutputName.require("run_id", "x".repeat(201)))
                .hasMessageEndingWith("it is longer than 200 characters");
    }

    @Test
    void trajectoryScopeRefusesRunAndTrialIdsThatAreNotFileNames() {
        assertThatThrownBy(() -> new TrajectoryScope("../other-run", null, 0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("run_id '../other-run' cannot name a file");
        assertThatThrownBy(() -> new TrajectoryScope("run", "t1/../../x", 0))
                .hasMessageStartingWith("trial_id 't1/../../x' cannot name a file");
        assertThat(new TrajectoryScope("run", "t0001", 0).trialId()).isEqualTo("t0001");
    }
}

package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code training.replay} and {@code data.stream.joint} as read from a configuration. */
class ReplaySettingsTest {

    private static final String CONFIG = SmallStream.CONFIG;

    private static TrainConfig read(String yaml, String... sets) {
        return SmallStream.read(yaml, sets);
    }

    @Test
    void absentSectionsMeanNoReplayAndASequentialStreamAndLeaveTheEffectiveConfigurationAsItWas() {
        TrainConfig config = read(CONFIG);

        assertThat(config.training().replay()).isEqualTo(ReplaySettings.OFF);
        assertThat(config.training().replay().enabled()).isFalse();
        assertThat(((DataSource.Streamed) config.data()).joint()).isFalse();
        assertThat(config.effectiveYaml()).doesNotContain("replay", "joint");
    }

    @Test
    void readsReplayAndJoint() {
        TrainConfig replayed = read(CONFIG, "training.replay.buffer_size=500", "training.replay.per_minibatch=10");
        TrainConfig joint = read(CONFIG, "data.stream.joint=true");

        assertThat(replayed.training().replay()).isEqualTo(new ReplaySettings(500, 10));
        assertThat(replayed.training().replay().enabled()).isTrue();
        assertThat(replayed.effectiveYaml()).contains("buffer_size: 500", "per_minibatch: 10");
        assertThat(((DataSource.Streamed) joint.data()).joint()).isTrue();
    }

    @Test
    void rejectsBadReplayValuesNamingTheKey() {
        assertThatThrownBy(() -> read(CONFIG, "training.replay.buffer_size=-1", "training.replay.per_minibatch=1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageEndingWith(": training.replay.buffer_size must be >= 0 (0: off), found -1");
        assertThatThrownBy(() -> read(CONFIG, "training.replay.buffer_size=100"))
                .hasMessageEndingWith(": training.replay.buffer_size and per_minibatch must both be >= 1 or both 0 "
                        + "(off), found buffer_size 100 and per_minibatch 0");
        assertThatThrownBy(() -> read(CONFIG, "training.replay.buffer_size=10", "training.replay.per_minibatch=11"))
                .hasMessageEndingWith(": training.replay.per_minibatch must be at most buffer_size 10 (drawn without "
                        + "replacement), found 11");
        assertThatThrownBy(() -> read(CONFIG, "training.replay.buffer_size=10", "training.replay.per_minibatch=many"))
                .hasMessageEndingWith("training.replay.per_minibatch must be an integer, found text 'many'");
        assertThatThrownBy(() -> read(CONFIG, "training.replay.size=10"))
                .hasMessageStartingWith("--set training.replay.size=10: unknown key training.replay.size (known keys "
                        + "here: buffer_size, per_minibatch)");
    }

    @Test
    void refusesCombinationsReplayOrJointCannotServeInOneLine() {
        String[] replay = {"training.replay.buffer_size=100", "training.replay.per_minibatch=10"};
        assertThatThrownBy(() -> read(CONFIG.replace("epochs: 2", "epochs: 2\n  averaging: stock"), replay))
                .hasMessageEndingWith(": training.replay needs training.averaging resident, found stock");
        assertThatThrownBy(() -> read(CONFIG.replace("  stream: {kind: split, classes_per_task: 1}\n", ""), replay))
                .hasMessageEndingWith(": training.replay needs a task stream (data.stream), found a single data set");
        assertThatThrownBy(() -> read(CONFIG, "training.replay.buffer_size=100", "training.replay.per_minibatch=10",
                "data.stream.joint=true"))
                .hasMessageEndingWith(": training.replay is not available with data.stream.joint: true (every task is "
                        + "in every minibatch already)");
        assertThatThrownBy(() -> read(CONFIG, "data.stream.joint=true", "training.consolidation.method=ewc"))
                .hasMessageEndingWith(": training.consolidation.method ewc is not available with data.stream.joint: "
                        + "true (one training phase, no task boundary)");
        String online = CONFIG.replace("{kind: split, classes_per_task: 1}",
                "{kind: permuted, tasks: 3, online: true, examples_per_task: 50}").replace("epochs: 2", "epochs: 1");
        assertThatThrownBy(() -> read(online, replay))
                .hasMessageEndingWith(": training.replay is not available with an online stream (data.stream.online: "
                        + "true), whose examples are each seen once");
        assertThatThrownBy(() -> read(online, "data.stream.joint=true"))
                .hasMessageEndingWith(": data.stream.joint needs an offline stream (an online task is seen once, in "
                        + "order), found online: true");
        assertThat(read(online).training().replay()).isEqualTo(ReplaySettings.OFF);
    }
}

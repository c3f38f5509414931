package org.neuroplastic.bench;

import java.util.List;

/** A job {@link JitBenchmark} runs: its bin/neuroplastic arguments and the console lines that carry its figures. */
enum JitJob {

    /** The parallel-sweep throughput measurement of issue 21 (docs/BENCHMARKS.md "Parallel sweeps"). */
    SWEEP("sweep", "conf/sweep-parallel-throughput.yaml on local[2]: 8 small trials in parallel mode",
            "each trial's outcome line, in any order (trials in flight end in either order), and the best trial", true,
            "^trial t\\d+ .*|(?<=^sweep [\\w-]{1,40}: )\\d+ trials, \\d+ completed.*(?=; \\d+ trials run in)",
            "sweep", "--config", "conf/sweep-parallel-throughput.yaml", "--master", "local[2]"),
    /** One run of the task-incremental split-digits study (bin/continual-study's unit of work). */
    CONTINUAL("continual", "conf/continual-learning.yaml, task-incremental, 20% validation: 5 tasks x 4 epochs",
            "every epoch's held-out loss and accuracy, and the final accuracy by task", false,
            "held-out \\(all tasks\\) loss [0-9.]+, accuracy [0-9.]+|^after task .*",
            "train", "--config", "conf/continual-learning.yaml", "--set", "data.stream.scenario=task_incremental",
            "--set", "data.validation_fraction=0.2"),
    /** The README's Fashion-MNIST network on 16,384 images for 2 epochs: a job whose time is training. */
    FASHION_MNIST("fashion-mnist", "conf/fashion-mnist.yaml on 16,384 training and 2,000 test images, 2 epochs",
            "every epoch's held-out loss and accuracy", false,
            "held-out loss [0-9.]+, accuracy [0-9.]+",
            "train", "--config", "conf/fashion-mnist.yaml", "--set", "data.limit=16384", "--set", "data.test_limit=2000",
            "--set", "training.epochs=2");

    private final String commandName;
    private final String description;
    private final String figuresCompared;
    private final boolean figuresInAnyOrder;
    private final String figures;
    private final List<String> arguments;

    JitJob(String commandName, String description, String figuresCompared, boolean figuresInAnyOrder, String figures,
           String... arguments) {
        this.commandName = commandName;
        this.description = description;
        this.figuresCompared = figuresCompared;
        this.figuresInAnyOrder = figuresInAnyOrder;
        this.figures = figures;
        this.arguments = List.of(arguments);
    }

    /** The name on the command line ({@code --jobs}). */
    String commandName() {
        return commandName;
    }

    String description() {
        return description;
    }

    String figuresCompared() {
        return figuresCompared;
    }

    /** Whether the figures' lines are compared as a set: a parallel sweep's trials end in either order. */
    boolean figuresInAnyOrder() {
        return figuresInAnyOrder;
    }

    /** A regular expression for the parts of console lines that must not depend on the compiler. */
    String figures() {
        return figures;
    }

    /** bin/neuroplastic's arguments, without {@code --out}. */
    List<String> arguments() {
        return arguments;
    }

    @Override
    public String toString() {
        return commandName;
    }

    /** Reads {@code --jobs} by the names the help lists. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<JitJob> {
        @Override
        public JitJob convert(String name) {
            for (JitJob job : values()) {
                if (job.commandName.equals(name)) {
                    return job;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("unknown job '" + name + "'; expected sweep, continual or fashion-mnist");
        }
    }
}

package org.neuroplastic.jobs.config;

import org.neuroplastic.model.network.ConfigName;

/**
 * A continual-learning stream (the {@code data.stream} section): the data set cut into tasks that are
 * trained one after another. Each stream states its scenario as van de Ven and Tolias define them
 * ("Three scenarios for continual learning", 2019): whether the task identity is given at test time,
 * and if not, whether the network must also infer which task an example came from.
 */
public sealed interface TaskStream {

    enum Kind { PERMUTED, SPLIT }

    /** The output layer of a split stream: one softmax over all classes, or one per task. */
    enum Heads {
        /** One output over all classes; in task_incremental the prediction is still chosen among the task's. */
        SHARED,
        /**
         * One head per task (multi-head, van de Ven and Tolias 2019): each example's softmax and loss run over
         * its task's classes only, in training and evaluation, and the other tasks' outputs get no gradient.
         */
        PER_TASK
    }

    enum Scenario {
        /** The task id is given at test time: a split task is evaluated over its own classes only. */
        TASK_INCREMENTAL,
        /** Every task has the same classes; the task id is neither given nor needed. */
        DOMAIN_INCREMENTAL,
        /** One output over all classes seen; the task id is not given and must be inferred. */
        CLASS_INCREMENTAL;
    }

    int tasks();

    Scenario scenario();

    /**
     * Whether each task is a fixed number of fresh examples seen once, each minibatch predicted before it
     * is learned from (the online protocol of Dohare et al., "Loss of plasticity in deep continual
     * learning", Nature 2024).
     */
    default boolean online() {
        return false;
    }

    /**
     * Task t with its pixels (features) in a fixed order drawn from {@code (seed, t)}. Task 0 keeps the
     * original order, as in van de Ven and Tolias's code, so that its accuracy is that of the plain data set
     * and the stream extends an ordinary run.
     *
     * @param examplesPerTask 0: every task is the whole data set, trained for {@code training.epochs} and
     *                        evaluated on its test split; above 0, the stream is online: every task is that
     *                        many training rows drawn from {@code (seed, t)}, seen once, each minibatch
     *                        predicted before it is learned from
     */
    record Permuted(int tasks, long seed, int examplesPerTask) implements TaskStream {

        /** The offline stream: the whole data set in every task. */
        public static Permuted offline(int tasks, long seed) {
            return new Permuted(tasks, seed, 0);
        }

        public Permuted {
            if (tasks < 1) {
                throw new IllegalArgumentException("tasks must be >= 1, found " + tasks);
            }
            if (examplesPerTask < 0) {
                throw new IllegalArgumentException("examples_per_task must be >= 1, found " + examplesPerTask);
            }
        }

        @Override
        public boolean online() {
            return examplesPerTask > 0;
        }

        @Override
        public Scenario scenario() {
            return Scenario.DOMAIN_INCREMENTAL;
        }
    }

    /**
     * Disjoint class sets, in label order: task t holds the rows of classes
     * {@code t * classesPerTask .. (t + 1) * classesPerTask - 1} in both splits.
     *
     * @param classes the data set's class count, which {@code classesPerTask} divides
     * @param heads   a shared output or one head per task (only with task_incremental)
     */
    record Split(int classesPerTask, int classes, Scenario scenario, Heads heads) implements TaskStream {

        /** A stream with one output shared by every task. */
        public static Split shared(int classesPerTask, int classes, Scenario scenario) {
            return new Split(classesPerTask, classes, scenario, Heads.SHARED);
        }

        public Split {
            if (classesPerTask < 1) {
                throw new IllegalArgumentException("classes_per_task must be >= 1, found " + classesPerTask);
            }
            if (classes % classesPerTask != 0 || classesPerTask >= classes) {
                throw new IllegalArgumentException("classes_per_task must divide the " + classes
                        + " classes into at least 2 tasks, found " + classesPerTask);
            }
            if (scenario == Scenario.DOMAIN_INCREMENTAL) {
                throw new IllegalArgumentException("scenario must be class_incremental or task_incremental for a split "
                        + "stream (its tasks have different classes), found domain_incremental");
            }
            if (heads == null) {
                throw new IllegalArgumentException("heads must be one of shared, per_task; found null");
            }
            if (heads == Heads.PER_TASK && scenario != Scenario.TASK_INCREMENTAL) {
                throw new IllegalArgumentException("heads per_task needs scenario task_incremental (a head is chosen "
                        + "by the task id), found " + ConfigName.of(scenario));
            }
            if (heads == Heads.PER_TASK && classesPerTask < 2) {
                throw new IllegalArgumentException("heads per_task needs classes_per_task >= 2 (a softmax over one "
                        + "class learns nothing), found " + classesPerTask);
            }
        }

        /** Output heads of the network: the task count with one head per task, else 1. */
        public int outputHeads() {
            return heads == Heads.PER_TASK ? tasks() : 1;
        }

        @Override
        public int tasks() {
            return classes / classesPerTask;
        }

        /** The task that holds {@code label}'s rows. */
        public int taskOf(int label) {
            return label / classesPerTask;
        }

        /** The classes of {@code task}, ascending. */
        public int[] classesOf(int task) {
            int[] classes = new int[classesPerTask];
            for (int i = 0; i < classesPerTask; i++) {
                classes[i] = task * classesPerTask + i;
            }
            return classes;
        }
    }

    /** Reads {@code data.stream}; {@code target} is what the data section says the labels are. */
    static TaskStream read(ConfigSection stream, Target target) {
        return stream.build(() -> switch (stream.choice("kind", Kind.class)) {
            case PERMUTED -> {
                Scenario scenario = stream.choice("scenario", Scenario.class, Scenario.DOMAIN_INCREMENTAL);
                if (scenario != Scenario.DOMAIN_INCREMENTAL) {
                    throw stream.error("scenario", stream.key("scenario") + " must be domain_incremental for a permuted "
                            + "stream (every task has the same classes), found " + ConfigName.of(scenario));
                }
                int tasks = stream.integer("tasks");
                long seed = stream.longInteger("seed", 0);
                // Read only when written, so that the effective configuration of an offline stream stays as it was.
                if (!stream.has("online") || !stream.flag("online", false)) {
                    if (stream.has("examples_per_task")) {
                        throw stream.error("examples_per_task", stream.key("examples_per_task")
                                + " needs " + stream.key("online") + ": true (an offline task is the whole data set)");
                    }
                    yield Permuted.offline(tasks, seed);
                }
                int examples = stream.integer("examples_per_task");
                if (examples < 1) {
                    throw stream.error("examples_per_task", stream.key("examples_per_task")
                            + " must be >= 1, found " + examples);
                }
                if (!target.isClassification()) {
                    throw stream.error("online", stream.key("online") + " needs classification data (its measure is "
                            + "the online accuracy), found " + ConfigName.of(target.task()));
                }
                yield new Permuted(tasks, seed, examples);
            }
            case SPLIT -> {
                if (!target.isClassification()) {
                    throw stream.error("kind", stream.key("kind") + " split needs classification data, found "
                            + ConfigName.of(target.task()));
                }
                if (stream.has("online")) {
                    throw stream.error("online", stream.key("online") + " needs kind permuted (an online task is a "
                            + "permutation of fresh examples), found split");
                }
                int classesPerTask = stream.integer("classes_per_task", 2);
                Scenario scenario = stream.choice("scenario", Scenario.class, Scenario.CLASS_INCREMENTAL);
                // Read only when written, so that the effective configuration of a shared-head run stays as it was.
                Heads heads = stream.has("heads") ? stream.choice("heads", Heads.class) : Heads.SHARED;
                yield new Split(classesPerTask, target.classes(), scenario, heads);
            }
        });
    }
}

package org.neuroplastic.jobs.data;

/**
 * The feature orders of a permuted stream: task 0 the identity, task t >= 1 a uniformly random
 * permutation of {@code 0 .. features - 1} (Fisher-Yates) drawn from {@code (seed, t)} alone, so a task's
 * order does not depend on how many tasks the stream has.
 */
public final class TaskPermutations {

    private TaskPermutations() {
    }

    /** {@code result[t][i]}: the source feature that task t puts at position i. */
    public static int[][] of(int tasks, int features, long seed) {
        int[][] permutations = new int[tasks][];
        for (int t = 0; t < tasks; t++) {
            permutations[t] = ofTask(t, features, seed);
        }
        return permutations;
    }

    static int[] ofTask(int task, int features, long seed) {
        int[] order = new int[features];
        for (int i = 0; i < features; i++) {
            order[i] = i;
        }
        if (task == 0) {
            return order;
        }
        RowRandom random = RowRandom.forTask(seed, task);
        for (int i = features - 1; i > 0; i--) {
            int j = (int) (random.nextDouble() * (i + 1));
            int swapped = order[i];
            order[i] = order[j];
            order[j] = swapped;
        }
        return order;
    }
}

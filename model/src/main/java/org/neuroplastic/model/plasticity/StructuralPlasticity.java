package org.neuroplastic.model.plasticity;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Structural plasticity of a connection mask M: prune the weakest present connections and regrow as
 * many absent ones, so that the density never changes (SET, Mocanu et al. 2018; RigL, Evci et al. 2020).
 *
 * <p>Every decision is a pure function of the arrays passed in and a seed, with ties broken by a seeded
 * permutation: workers that hold the same averaged parameters take the same decision, and the mask
 * stays binary after parameter averaging.
 */
public final class StructuralPlasticity {

    /** How many connections one rewiring pruned and regrew (always equal: density is preserved). */
    public record Rewiring(int pruned, int regrown) {
    }

    /**
     * The connections one rewiring changes, as column-major indices (row {@code k % nIn}, column
     * {@code k / nIn}); the two arrays have the same length.
     */
    public record Decision(int[] pruned, int[] regrown) {
    }

    private StructuralPlasticity() {
    }

    /** The number of present connections at {@code density}: at least one, exactly the same at every step. */
    public static long activeCount(long connections, double density) {
        return Math.max(1, Math.round(density * connections));
    }

    /** Fills {@code mask} with exactly {@link #activeCount} ones at positions drawn from {@code seed}. */
    public static void initialMask(INDArray mask, double density, long seed) {
        int n = Math.toIntExact(mask.length());
        int[] order = permutation(n, new SplittableRandom(seed));
        long active = activeCount(n, density);
        double[] values = new double[n];
        for (int k = 0; k < active; k++) {
            values[order[k]] = 1;
        }
        write(mask, values);
    }

    /**
     * Rewires {@code mask} in place: prunes the fraction {@code zeta} of present connections with the
     * smallest {@code |effectiveWeight|}, regrows as many among those absent before this rewiring,
     * chosen by largest {@code |trace|} or at random, and sets the regrown connections' {@code weight} to 0.
     *
     * @param trace the Hebbian trace, or null when regrowth is {@link Regrowth#RANDOM}
     */
    public static Rewiring rewire(INDArray mask, INDArray weight, INDArray effectiveWeight, INDArray trace,
                                  double zeta, Regrowth regrowth, long seed) {
        Decision decision = decide(mask, effectiveWeight, trace, zeta, regrowth, seed);
        apply(decision, mask, weight);
        return new Rewiring(decision.pruned().length, decision.regrown().length);
    }

    /** What {@link #rewire} would change, without changing anything. */
    public static Decision decide(INDArray mask, INDArray effectiveWeight, INDArray trace, double zeta,
                                  Regrowth regrowth, long seed) {
        double[] m = read(mask);
        int n = m.length;
        int[] presentIdx = indicesWhere(m, true);
        int[] absentIdx = indicesWhere(m, false);
        int count = (int) Math.min(Math.floor(zeta * presentIdx.length), absentIdx.length);
        if (count == 0) {
            return new Decision(new int[0], new int[0]);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] tieBreak = permutation(n, random);
        double[] magnitude = read(effectiveWeight);
        for (int i = 0; i < n; i++) {
            magnitude[i] = Math.abs(magnitude[i]);
        }
        int[] prune = smallest(presentIdx, magnitude, tieBreak, count);
        int[] grow;
        if (regrowth == Regrowth.HEBBIAN) {
            double[] h = read(trace);
            double[] negatedAbs = new double[n];
            for (int i = 0; i < n; i++) {
                negatedAbs[i] = -Math.abs(h[i]);
            }
            grow = smallest(absentIdx, negatedAbs, tieBreak, count);
        } else {
            int[] shuffled = absentIdx.clone();
            shuffle(shuffled, random);
            grow = Arrays.copyOf(shuffled, count);
        }
        return new Decision(prune, grow);
    }

    /** Clears the pruned connections of {@code mask}, sets the regrown ones, and starts their weight at 0. */
    public static void apply(Decision decision, INDArray mask, INDArray weight) {
        Elements maskElements = Elements.of(mask);
        Elements weightElements = Elements.of(weight);
        for (int k : decision.pruned()) {
            maskElements.set(k, 0.0);
        }
        for (int k : decision.regrown()) {
            maskElements.set(k, 1.0);
            weightElements.set(k, 0.0);
        }
    }

    /** The {@code count} candidates with the smallest value, ties broken by {@code tieBreakOrder} rank. */
    private static int[] smallest(int[] candidates, double[] values, int[] tieBreakOrder, int count) {
        int n = tieBreakOrder.length;
        int[] rank = new int[n];
        for (int r = 0; r < n; r++) {
            rank[tieBreakOrder[r]] = r;
        }
        long[] keys = new long[candidates.length];
        for (int c = 0; c < candidates.length; c++) {
            int k = candidates[c];
            keys[c] = sortableKey(values[k], rank[k]);
        }
        moveSmallestFirst(keys, count);
        int[] chosen = new int[count];
        for (int c = 0; c < count; c++) {
            chosen[c] = tieBreakOrder[(int) (keys[c] & 0xFFFFFFFFL)];
        }
        return chosen;
    }

    /** Orders by value (as float), then by rank: a total order with no dependence on iteration order. */
    private static long sortableKey(double value, int rank) {
        int bits = Float.floatToIntBits((float) value);
        // Negative floats order backwards as ints: flipping their magnitude bits makes the int order the float order.
        int ordered = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
        return ((long) ordered << 32) | rank;
    }

    /**
     * Puts the {@code count} smallest of {@code keys} (all distinct) in {@code keys[0 .. count - 1]}, in
     * ascending order, as a full sort would: Hoare's selection (FIND, Hoare 1961) then a sort of the prefix.
     * A rewiring prunes a small fraction of the connections, and the driver rewires the averaged network after
     * every round, so sorting every candidate cost it a millisecond or two a round.
     */
    static void moveSmallestFirst(long[] keys, int count) {
        int target = count - 1;
        int lo = 0;
        int hi = keys.length - 1;
        int rounds = 0;
        while (lo < hi) {
            if (++rounds > 64) {
                // Median-of-three pivots this unlucky: a sort of what is left bounds the time.
                Arrays.sort(keys, lo, hi + 1);
                break;
            }
            long pivot = median(keys[lo], keys[(lo + hi) >>> 1], keys[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (keys[i] < pivot) {
                    i++;
                }
                while (keys[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long swapped = keys[i];
                    keys[i++] = keys[j];
                    keys[j--] = swapped;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                break;
            }
        }
        Arrays.sort(keys, 0, count);
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    private static int[] indicesWhere(double[] mask, boolean present) {
        int count = 0;
        for (double m : mask) {
            if ((m > 0.5) == present) {
                count++;
            }
        }
        int[] indices = new int[count];
        for (int i = 0, next = 0; next < count; i++) {
            if ((mask[i] > 0.5) == present) {
                indices[next++] = i;
            }
        }
        return indices;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }

    private static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** Column-major flat copy: index k is row {@code k % rows}, column {@code k / rows}. */
    static double[] read(INDArray matrix) {
        double[] values = new double[Math.toIntExact(matrix.length())];
        Elements.of(matrix).read(0, values, values.length);
        return values;
    }

    private static void write(INDArray matrix, double[] columnMajor) {
        Elements.of(matrix).write(0, columnMajor, columnMajor.length);
    }
}

package org.neuroplastic.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The halving race without training: what ASHA can gain over synchronous halving in the race's own protocol (a
 * fixed number of trials drawn in one order, the same rungs, {@code slots} slots) when nothing but the schedule
 * costs time. Each trial has a quality (its metric at the last epoch, lower better, and the order it ranks in at
 * every rung: the most favourable case for both halvings) and a cost per epoch; a trial as good as synchronous
 * halving's best can only be that trial or a better one, trained to its last epoch.
 * <p>
 * This is a model of the two disciplines, not the sweep's code: synchronous halving as {@code SuccessiveHalving}
 * decides (every trial to a rung, then the best ⌊n / eta⌋, at least one; trials in id order on the earliest free
 * slot), and ASHA's promotion rule as {@code AsynchronousHalving} (Li et al., MLSys 2020, Algorithm 2, with the
 * last-resort promotion) decided on a clock as {@code AshaSchedule} decides: jobs handed out in the clock's order,
 * each waiting for every result its decision read. On the wall clock, as the paper's ASHA decides, no slot waits.
 */
final class HalvingModel {

    /** The race's settings: {@code rungEpochs} ascending and below {@code epochs}. */
    record Settings(int epochs, List<Integer> rungEpochs, int reductionFactor, int slots) {
    }

    /**
     * One race, in units of one epoch of the cheapest trial.
     *
     * @param syncTimeToBest     when synchronous halving's best trial ended
     * @param syncWall           when synchronous halving's last job ended
     * @param ashaTimeToSyncBest when ASHA first ended a trial as good as synchronous halving's best
     * @param ashaWall           when ASHA's last job ended
     */
    record Race(double syncTimeToBest, double syncWall, double ashaTimeToSyncBest, double ashaWall) {
    }

    private final Settings settings;

    HalvingModel(Settings settings) {
        this.settings = settings;
    }

    /**
     * One race: trial i's epochs take {@code costPerEpoch[i]} each, and ASHA's clock charges {@code clockPerEpoch[i]}
     * for each (all 1: the clock of epochs; {@code costPerEpoch}: the wall clock, on which no slot waits).
     */
    Race race(double[] quality, double[] costPerEpoch, double[] clockPerEpoch) {
        double[] syncEnds = new double[quality.length];
        Arrays.fill(syncEnds, Double.NaN);
        double syncWall = synchronous(quality, costPerEpoch, syncEnds);
        int best = IntStream.range(0, quality.length).filter(i -> !Double.isNaN(syncEnds[i]))
                .boxed().min(Comparator.comparingDouble(i -> quality[i])).orElseThrow();
        double[] ashaEnds = new double[quality.length];
        Arrays.fill(ashaEnds, Double.NaN);
        double ashaWall = asynchronous(quality, costPerEpoch, clockPerEpoch, ashaEnds);
        double reach = IntStream.range(0, quality.length).filter(i -> quality[i] <= quality[best])
                .mapToDouble(i -> ashaEnds[i]).filter(t -> !Double.isNaN(t)).min().orElse(Double.NaN);
        return new Race(syncEnds[best], syncWall, reach, ashaWall);
    }

    /** Every trial to each rung in turn; {@code ends[i]} is when trial i ended its last epoch. Returns the wall. */
    private double synchronous(double[] quality, double[] cost, double[] ends) {
        List<Integer> bounds = bounds();
        List<Integer> alive = IntStream.range(0, quality.length).boxed().toList();
        double start = 0;
        for (int k = 0; k + 1 < bounds.size(); k++) {
            double[] free = new double[settings.slots()];
            Arrays.fill(free, start);
            int epochs = bounds.get(k + 1) - bounds.get(k);
            for (int i : alive) {
                int slot = earliest(free);
                free[slot] += epochs * cost[i];
                if (k + 2 == bounds.size()) {
                    ends[i] = free[slot];
                }
            }
            start = Arrays.stream(free).max().orElseThrow();
            int promoted = Math.max(1, alive.size() / settings.reductionFactor());
            alive = ranked(alive, quality).subList(0, promoted).stream().sorted().toList();
        }
        return start;
    }

    /**
     * ASHA's jobs in the order its clock hands them out; a job starts when a slot is free, the job before it has
     * started, and every result its decision read has arrived. Returns the wall.
     */
    private double asynchronous(double[] quality, double[] cost, double[] clock, double[] ends) {
        List<Integer> bounds = bounds();
        int rungs = bounds.size() - 2;
        List<List<Integer>> reached = new ArrayList<>();
        List<Set<Integer>> promoted = new ArrayList<>();
        for (int k = 0; k < rungs; k++) {
            reached.add(new ArrayList<>());
            promoted.add(new HashSet<>());
        }
        PriorityQueue<double[]> clockSlots = new PriorityQueue<>(
                Comparator.<double[]>comparingDouble(s -> s[0]).thenComparingDouble(s -> s[1]));
        double[] wallSlots = new double[settings.slots()];
        for (int s = 0; s < settings.slots(); s++) {
            clockSlots.add(new double[] {0, s});
        }
        // Jobs not yet read by a decision: {clock end, wall end, trial, rung reached or -1}.
        PriorityQueue<double[]> unread = new PriorityQueue<>(Comparator.comparingDouble(j -> j[0]));
        double readUntil = 0;
        double lastStart = 0;
        double wall = 0;
        int started = 0;
        while (true) {
            double[] slot = clockSlots.poll();
            double now = slot[0];
            while (!unread.isEmpty() && unread.peek()[0] <= now) {
                double[] job = unread.poll();
                readUntil = Math.max(readUntil, job[1]);
                if (job[3] >= 0) {
                    reached.get((int) job[3]).add((int) job[2]);
                }
            }
            int[] promotion = promotion(reached, promoted, quality);
            if (promotion == null && started == quality.length) {
                if (!unread.isEmpty()) {
                    slot[0] = unread.peek()[0];
                    clockSlots.add(slot);
                    continue;
                }
                promotion = promoted.get(rungs - 1).isEmpty() ? lastResort(reached, promoted, quality) : null;
                if (promotion == null) {
                    return wall;
                }
            }
            int trial = promotion != null ? promotion[0] : started++;
            int from = promotion != null ? promotion[1] + 1 : 0;
            int epochs = bounds.get(from + 1) - bounds.get(from);
            int wallSlot = earliest(wallSlots);
            double start = Math.max(Math.max(lastStart, wallSlots[wallSlot]), readUntil);
            double end = start + epochs * cost[trial];
            lastStart = start;
            wallSlots[wallSlot] = end;
            wall = Math.max(wall, end);
            slot[0] = now + epochs * clock[trial];
            clockSlots.add(slot);
            boolean last = from == rungs;
            unread.add(new double[] {slot[0], end, trial, last ? -1 : from});
            if (last) {
                ends[trial] = end;
            }
        }
    }

    /** Highest rung first, the first trial among a rung's best ⌊n / eta⌋ not yet promoted from it: {trial, rung}. */
    private int[] promotion(List<List<Integer>> reached, List<Set<Integer>> promoted, double[] quality) {
        for (int k = reached.size() - 1; k >= 0; k--) {
            List<Integer> ranked = ranked(reached.get(k), quality);
            for (int trial : ranked.subList(0, ranked.size() / settings.reductionFactor())) {
                if (promoted.get(k).add(trial)) {
                    return new int[] {trial, k};
                }
            }
        }
        return null;
    }

    /** The best trial waiting at the highest rung any trial waits at, so that one trial trains all its epochs. */
    private static int[] lastResort(List<List<Integer>> reached, List<Set<Integer>> promoted, double[] quality) {
        for (int k = reached.size() - 1; k >= 0; k--) {
            for (int trial : ranked(reached.get(k), quality)) {
                if (promoted.get(k).add(trial)) {
                    return new int[] {trial, k};
                }
            }
        }
        return null;
    }

    /** 0, the rungs' epochs, the last epoch. */
    private List<Integer> bounds() {
        List<Integer> bounds = new ArrayList<>();
        bounds.add(0);
        bounds.addAll(settings.rungEpochs());
        bounds.add(settings.epochs());
        return bounds;
    }

    private static List<Integer> ranked(List<Integer> trials, double[] quality) {
        return trials.stream().sorted(Comparator.<Integer>comparingDouble(i -> quality[i])
                .thenComparing(Comparator.naturalOrder())).toList();
    }

    /** The slot free first, the lowest on ties. */
    private static int earliest(double[] free) {
        int slot = 0;
        for (int s = 1; s < free.length; s++) {
            if (free[s] < free[slot]) {
                slot = s;
            }
        }
        return slot;
    }
}

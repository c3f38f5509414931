package org.neuroplastic.jobs.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.ToDoubleFunction;

/**
 * The jobs of an {@code early_stop.kind: asha} sweep, in the order its {@code parallelism} slots take them.
 * ASHA decides from whatever results have arrived when a slot frees, which makes the promotions depend
 * on timing. Here every decision is taken on a clock of work instead: {@code parallelism} slots, each
 * job occupying its slot for the epochs it trains times its trial's cost per epoch (its minibatches' fixed
 * cost plus its examples times its network's learned parameters, {@link TrialPreparation#epochCost}), and a
 * slot freed at clock time T deciding from the results of exactly the jobs that end by T (ties: the lower
 * slot decides first, results apply in job order). The jobs, and so the promotions, are a function of the
 * sweep and the trials' results alone, and a resumed sweep replays them from the results it kept. When real
 * training keeps that pace no slot idles; a slot that frees before a job due by its time has ended waits for
 * that job. Charging a wide trial's epochs more than a narrow one's keeps the clock near real time when a
 * sweep varies the widths, so that slots wait less ({@code bin/benchmark halving --model} measures how much,
 * docs/BENCHMARKS.md).
 */
final class AshaSchedule {

    /**
     * Trial {@code trial} trains from epoch {@code from} to {@code to}, reaching rung {@code rung} there (0-based),
     * or -1 when {@code to} is its last epoch.
     */
    record Job(int index, Trial trial, int from, int to, int rung) {
    }

    /** How a job ended: the trial waits at its rung with {@code metric}, or has ended (finished, failed, ...). */
    private record Outcome(boolean waits, Double metric) {
    }

    private final List<Trial> trials;
    private final Map<String, Trial> byId = new HashMap<>();
    private final List<Integer> rungEpochs;
    private final AsynchronousHalving halving;
    private final ToDoubleFunction<Trial> epochCost;
    /** Each trial's cost per epoch, asked of {@link #epochCost} once: every job of the trial is charged it. */
    private final Map<String, Double> costs = new HashMap<>();
    /** Free time (on the clock) and index of each slot, earliest first, lower index first. */
    private final PriorityQueue<double[]> slots = new PriorityQueue<>(
            Comparator.<double[]>comparingDouble(s -> s[0]).thenComparingDouble(s -> s[1]));
    private final List<Job> jobs = new ArrayList<>();
    private final List<Double> ends = new ArrayList<>();
    private final Map<Integer, Outcome> outcomes = new LinkedHashMap<>();
    /** Jobs whose outcome the halving has not seen, by end time then index. */
    private final PriorityQueue<Integer> unapplied = new PriorityQueue<>(
            Comparator.<Integer>comparingDouble(ends::get).thenComparing(Comparator.naturalOrder()));
    private int started;
    private boolean done;

    /** @param epochCost what an epoch of a trial costs on the clock: positive, and a function of the trial alone */
    AshaSchedule(List<Trial> trials, EarlyStop earlyStop, Metric metric, int parallelism,
                 ToDoubleFunction<Trial> epochCost) {
        this.trials = List.copyOf(trials);
        this.epochCost = epochCost;
        this.trials.forEach(t -> byId.put(t.trialId(), t));
        this.rungEpochs = earlyStop.rungEpochs();
        this.halving = new AsynchronousHalving(earlyStop, metric);
        for (int s = 0; s < parallelism; s++) {
            slots.add(new double[] {0, s});
        }
    }

    /**
     * The next job, its decision taken; null while a result it depends on has not arrived, or when
     * {@link #done}.
     */
    Job next() {
        while (!done) {
            double[] slot = slots.peek();
            double now = slot[0];
            while (!unapplied.isEmpty() && ends.get(unapplied.peek()) <= now) {
                Job ended = jobs.get(unapplied.peek());
                Outcome outcome = outcomes.get(ended.index());
                if (outcome == null) {
                    return null;
                }
                unapplied.poll();
                if (outcome.waits()) {
                    halving.reached(ended.trial().trialId(), ended.rung(), outcome.metric());
                }
            }
            AsynchronousHalving.Promotion promotion = halving.promotion();
            if (promotion == null && started == trials.size()) {
                if (!unapplied.isEmpty()) {
                    // Nothing to decide before the next job ends: the slot idles until then.
                    slots.poll();
                    slot[0] = ends.get(unapplied.peek());
                    slots.add(slot);
                    continue;
                }
                promotion = halving.lastResort();
                if (promotion == null) {
                    done = true;
                    return null;
                }
            }
            Job job = promotion != null ? promoted(promotion)
                    : new Job(jobs.size(), trials.get(started++), 0, rungEpochs.get(0), 0);
            slots.poll();
            slot[0] = now + (job.to() - job.from())
                    * costs.computeIfAbsent(job.trial().trialId(), id -> epochCost.applyAsDouble(job.trial()));
            slots.add(slot);
            jobs.add(job);
            ends.add(slot[0]);
            unapplied.add(job.index());
            return job;
        }
        return null;
    }

    /** Job {@code index} brought its trial to its rung with {@code metric}; the trial waits there. */
    void reached(int index, Double metric) {
        outcomes.put(index, new Outcome(true, metric));
    }

    /** Job {@code index} ended its trial: trained to its last epoch, failed, diverged or timed out. */
    void ended(int index) {
        outcomes.put(index, new Outcome(false, null));
    }

    /** Whether every job has been handed out and no promotion is left. */
    boolean done() {
        return done;
    }

    /** Trials waiting at a rung that will never go on (once {@link #done}), in trial id order. */
    List<String> stopped() {
        return halving.waiting();
    }

    private Job promoted(AsynchronousHalving.Promotion promotion) {
        Trial trial = byId.get(promotion.trialId());
        int next = promotion.rung() + 1;
        boolean last = next == rungEpochs.size();
        return new Job(jobs.size(), trial, rungEpochs.get(promotion.rung()), last ? trial.epochs() : rungEpochs.get(next),
                last ? -1 : next);
    }
}

package org.neuroplastic.jobs.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asynchronous successive halving's promotion rule (Li, Jamieson, Rostamizadeh, Gonina, Ben-tzur, Hardt,
 * Recht and Talwalkar, "A System for Massively Parallel Hyperparameter Tuning", MLSys 2020, Algorithm 2,
 * {@code get_job}): a free slot promotes a trial waiting at rung k if it is among the best
 * ⌊n_k / reduction_factor⌋ of the n_k trials that have reached rung k so far and has not been promoted from
 * it yet, highest rung first; otherwise the slot starts a new trial. No rung is ever waited for.
 * <p>
 * Ranking is by the metric at the rung (null or NaN last), ties by trial id. The paper's sweep never ends;
 * this one has a fixed number of trials, and with fewer than {@code reduction_factor} trials at the last rung
 * none would go on from it. So when nothing else can run and no trial has gone on from the last rung, the
 * best trial waiting at the highest rung goes on ({@link #lastResort}): as in synchronous halving, at least
 * one trial is trained to its last epoch.
 */
final class AsynchronousHalving {

    /** Trial {@code trialId} goes on from rung {@code rung}. */
    record Promotion(String trialId, int rung) {
    }

    private final int reductionFactor;
    private final Metric metric;
    /** Per rung: every trial that reached it and its metric there, promoted since or not. */
    private final List<Map<String, Double>> reached = new ArrayList<>();
    /** Per rung: the trials promoted from it. */
    private final List<Set<String>> promoted = new ArrayList<>();

    AsynchronousHalving(EarlyStop earlyStop, Metric metric) {
        this.reductionFactor = earlyStop.reductionFactor();
        this.metric = metric;
        for (int k = 0; k < earlyStop.rungs(); k++) {
            reached.add(new LinkedHashMap<>());
            promoted.add(new HashSet<>());
        }
    }

    /** Trial {@code trialId} reached rung {@code rung} (0-based) with {@code metric} and waits there. */
    void reached(String trialId, int rung, Double metric) {
        reached.get(rung).put(trialId, metric);
    }

    /** The promotion a free slot makes now, or null when it should start a new trial. */
    Promotion promotion() {
        for (int k = reached.size() - 1; k >= 0; k--) {
            List<String> ranked = ranked(k);
            int best = ranked.size() / reductionFactor;
            for (String trialId : ranked.subList(0, best)) {
                if (!promoted.get(k).contains(trialId)) {
                    return promote(trialId, k);
                }
            }
        }
        return null;
    }

    /**
     * When no trial is left to start and none runs: the best trial waiting at the highest rung any trial
     * waits at; null when none waits, or when a trial has gone on from the last rung already.
     */
    Promotion lastResort() {
        if (!promoted.get(promoted.size() - 1).isEmpty()) {
            return null;
        }
        for (int k = reached.size() - 1; k >= 0; k--) {
            for (String trialId : ranked(k)) {
                if (!promoted.get(k).contains(trialId)) {
                    return promote(trialId, k);
                }
            }
        }
        return null;
    }

    /** The trials waiting at a rung, never promoted from it, in trial id order: stopped when the sweep ends. */
    List<String> waiting() {
        List<String> waiting = new ArrayList<>();
        for (int k = 0; k < reached.size(); k++) {
            for (String trialId : reached.get(k).keySet()) {
                if (!promoted.get(k).contains(trialId)) {
                    waiting.add(trialId);
                }
            }
        }
        waiting.sort(Comparator.naturalOrder());
        return waiting;
    }

    private List<String> ranked(int rung) {
        return SuccessiveHalving.ranked(reached.get(rung), metric);
    }

    private Promotion promote(String trialId, int rung) {
        promoted.get(rung).add(trialId);
        return new Promotion(trialId, rung);
    }
}

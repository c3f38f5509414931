package org.neuroplastic.jobs.sweep;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The trial segments parallel mode submits, in the order their slots take them ({@link ParallelTrials}). */
interface UpcomingTrials {

    /** The next trial, prepared and its {@link RunningTrial#toEpoch} set, if it may be submitted now; null if none may (yet). */
    RunningTrial next();

    /** Whether every segment has been handed out. */
    boolean isEmpty();

    /** {@code trial}'s segment ended without error before its last epoch: the trial waits at a rung. */
    void reached(RunningTrial trial);

    /** {@code trial}'s segment ended the trial (trained to its last epoch, failed, diverged or timed out). */
    default void ended(RunningTrial trial) {
    }

    /** Trials known and prepared before the segment starts, each trained up to {@code toEpoch} (or its last epoch). */
    final class Listed implements UpcomingTrials {
        private final Deque<RunningTrial> waiting;
        private final Integer toEpoch;
        private final List<RunningTrial> reached = new ArrayList<>();

        /** @param toEpoch the rung every trial is trained to, or null for each trial's last epoch */
        Listed(List<RunningTrial> trials, Integer toEpoch) {
            this.waiting = new ArrayDeque<>(trials);
            this.toEpoch = toEpoch;
        }

        @Override
        public RunningTrial next() {
            RunningTrial next = waiting.poll();
            if (next != null) {
                next.toEpoch = toEpoch != null ? toEpoch : next.trial.epochs();
            }
            return next;
        }

        @Override
        public boolean isEmpty() {
            return waiting.isEmpty();
        }

        @Override
        public void reached(RunningTrial trial) {
            reached.add(trial);
        }

        /** The trials that reached the rung, in trial order. */
        List<RunningTrial> reached() {
            List<RunningTrial> sorted = new ArrayList<>(reached);
            sorted.sort((a, b) -> a.trial.trialId().compareTo(b.trial.trialId()));
            return sorted;
        }
    }

    /** {@code method: tpe}'s trials, each drawn and prepared when it may be; those ended earlier are skipped. */
    final class Drawn implements UpcomingTrials {
        private final TpeSettings settings;
        private final TrialPreparation preparation;
        private int index;

        Drawn(TpeSettings settings, TrialPreparation preparation) {
            this.settings = settings;
            this.preparation = preparation;
        }

        @Override
        public RunningTrial next() {
            for (; index < settings.trialCount(); index++) {
                if (settings.ended(index)) {
                    continue;
                }
                Trial trial = settings.trial(index);
                if (trial == null) {
                    return null;
                }
                RunningTrial running = preparation.prepare(trial);
                if (running != null) {
                    index++;
                    running.toEpoch = trial.epochs();
                    return running;
                }
            }
            return null;
        }

        @Override
        public boolean isEmpty() {
            for (; index < settings.trialCount() && settings.ended(index); index++) {
                // Trials kept from an earlier attempt, or failed while prepared, are not handed out.
            }
            return index >= settings.trialCount();
        }

        @Override
        public void reached(RunningTrial trial) {
            throw new IllegalStateException("method tpe has no rungs, yet trial " + trial.trial.trialId()
                    + " stopped at epoch " + trial.epochsDone);
        }
    }
}

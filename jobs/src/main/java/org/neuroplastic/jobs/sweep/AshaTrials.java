package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.results.RunStatus;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The segments of an {@code early_stop.kind: asha} sweep, as its {@link AshaSchedule} hands them out. A
 * trial kept from an earlier attempt of the sweep is not trained again: its jobs are answered from its
 * record (status, epochs done) and its metrics by epoch, so the schedule replays what the earlier attempt
 * decided and goes on from there. A trial that was waiting at a rung when the sweep was killed was not
 * recorded, and is trained again (to the same results, training being deterministic for a seed).
 */
final class AshaTrials implements UpcomingTrials {

    private final AshaSchedule schedule;
    private final TrialPreparation preparation;
    private final Metric metric;
    private final PrintStream console;
    private final Map<String, TrialRecord> kept = new HashMap<>();
    private final Map<String, Map<Integer, Double>> keptMetrics;
    private final Map<String, RunningTrial> waiting = new HashMap<>();

    /**
     * @param kept        trials that finished in an earlier attempt of the sweep
     * @param keptMetrics their metrics: trial id to (epoch to metric)
     */
    AshaTrials(AshaSchedule schedule, TrialPreparation preparation, Metric metric, PrintStream console,
               List<TrialRecord> kept, Map<String, Map<Integer, Double>> keptMetrics) {
        this.schedule = schedule;
        this.preparation = preparation;
        this.metric = metric;
        this.console = console;
        kept.forEach(r -> this.kept.put(r.trialId(), r));
        this.keptMetrics = keptMetrics;
    }

    @Override
    public RunningTrial next() {
        for (AshaSchedule.Job job = schedule.next(); job != null; job = schedule.next()) {
            String trialId = job.trial().trialId();
            TrialRecord record = kept.get(trialId);
            if (record != null) {
                replay(job, record);
                continue;
            }
            RunningTrial running = job.from() == 0 ? preparation.prepare(job.trial()) : waiting.remove(trialId);
            if (running == null) {
                schedule.ended(job.index());
                continue;
            }
            if (job.from() > 0) {
                console.printf(Locale.ROOT, "trial %s promoted at epoch %d, trains to epoch %d%n", trialId, job.from(),
                        job.to());
            }
            running.job = job.index();
            running.toEpoch = job.to();
            return running;
        }
        return null;
    }

    @Override
    public boolean isEmpty() {
        return schedule.done();
    }

    @Override
    public void reached(RunningTrial trial) {
        EpochEvaluation last = trial.evaluations.get(trial.evaluations.size() - 1);
        waiting.put(trial.trial.trialId(), trial);
        schedule.reached(trial.job, metric.of(last));
    }

    @Override
    public void ended(RunningTrial trial) {
        schedule.ended(trial.job);
    }

    /** The trials left waiting at a rung once the schedule is done, in trial id order: they end as stopped. */
    List<RunningTrial> stopped() {
        List<RunningTrial> stopped = new ArrayList<>();
        for (String trialId : schedule.stopped()) {
            if (waiting.containsKey(trialId)) {
                stopped.add(waiting.get(trialId));
            }
        }
        return stopped;
    }

    /** Answers a kept trial's job from its record: it reached the job's rung if it was recorded past it. */
    private void replay(AshaSchedule.Job job, TrialRecord record) {
        boolean goesOn = record.status() == RunStatus.COMPLETED || record.status() == RunStatus.STOPPED;
        if (job.rung() >= 0 && goesOn && record.epochsCompleted() >= job.to()) {
            schedule.reached(job.index(), keptMetrics.getOrDefault(record.trialId(), Map.of()).get(job.to()));
        } else {
            schedule.ended(job.index());
        }
    }
}

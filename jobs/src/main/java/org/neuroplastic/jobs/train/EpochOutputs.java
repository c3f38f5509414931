package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.neuroplastic.jobs.results.EvaluationRecord;
import org.neuroplastic.jobs.results.ModelArchive;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.trajectory.PendingRows;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What each epoch of a run leaves in its output folder (its trajectory rows, its evaluation rows, its
 * checkpoint), committed in that order on one driver thread while the run goes on. An append is a Spark job
 * whose planning and commit cost about the same whatever its number of rows (~0.15 s an epoch in
 * {@code bin/benchmark averaging}); committed behind the training thread, it overlaps the held-out evaluation
 * and the next epoch instead of adding to them.
 *
 * <p>The order keeps {@link Resumption}'s contract: a checkpoint is written only once the rows of its epoch and
 * every earlier one are committed, so a resumed run never lacks a row before its checkpoint (the rows after it
 * are dropped). At most one epoch's outputs are in flight: handing over the next epoch's rows first waits for
 * the previous epoch's to be committed. A failed output stops the ones handed over after it, and its failure is
 * thrown on the training thread by the next hand-over, {@link #await} or {@link #close}. Beyond one epoch's
 * rows on the executors, this holds one epoch's evaluation rows and one serialized checkpoint on the driver.
 */
public final class EpochOutputs implements AutoCloseable {

    private final String runId;
    private final TrajectoryWriter trajectories;
    private final ResultWriter results;
    private final Storage storage;
    private final Location out;
    private final ExecutorService committer;
    private CompletableFuture<Void> committed = CompletableFuture.completedFuture(null);

    /**
     * @param runId the run whose outputs these are, named in failures
     * @param out   the job's output folder, which holds {@code trajectories/} and {@code evaluations/}
     */
    public EpochOutputs(String runId, TrajectoryWriter trajectories, ResultWriter results, Storage storage,
                        Location out) {
        this.runId = runId;
        this.trajectories = trajectories;
        this.results = results;
        this.storage = storage;
        this.out = out;
        this.committer = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "epoch-outputs-" + runId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts an epoch's outputs with its trajectory rows ({@link EpochTrainer#takeTrajectory}), which are
     * appended to {@code <out>/trajectories/} and then freed, once the previous epoch's outputs are committed.
     */
    public void trajectory(PendingRows rows) {
        try {
            await();
        } catch (RuntimeException | Error e) {
            rows.release();
            throw e;
        }
        then(() -> appendTrajectory(rows));
    }

    /** Appends {@code rows} to {@code <out>/evaluations/} after the outputs handed over before them. */
    public void evaluations(List<EvaluationRecord> rows) {
        then(() -> results.appendEvaluations(rows, out));
    }

    /** Writes {@code network} as it is now to {@code file}, after the outputs handed over before it. */
    public void checkpoint(MultiLayerNetwork network, Location file) {
        byte[] model = ModelArchive.bytes(network);
        then(() -> ModelArchive.write(model, storage, file));
    }

    /** Waits until every output handed over is committed; throws the failure of one that could not be. */
    public void await() {
        CompletableFuture<Void> pending = committed;
        // A failure is thrown once: later outputs start afresh, and close() after it does not repeat it.
        committed = CompletableFuture.completedFuture(null);
        try {
            pending.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Waits for every output handed over, then stops the committing thread. */
    @Override
    public void close() {
        try {
            await();
        } finally {
            committer.shutdown();
        }
    }

    private void then(Runnable output) {
        committed = committed.thenRunAsync(output, committer);
    }

    /**
     * Should an executor be lost with every copy of some rows, Spark would have to run their round again, which
     * it cannot once the round's state is gone: the append then fails and names the way out.
     */
    private void appendTrajectory(PendingRows rows) {
        try {
            trajectories.append(rows, out);
        } catch (Exception e) {
            // Spark's job failure is a checked SparkException that Scala throws undeclared.
            throw new IllegalStateException("could not write the trajectory rows of run " + runId
                    + " held on the executors (an executor lost with every copy of some of them cannot be made"
                    + " again); resume the run from its last checkpoint: " + e.getMessage(), e);
        } finally {
            rows.release();
        }
    }
}

package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.neuroplastic.model.consolidation.GradientPenalty;

/**
 * What a task of a continual-learning stream hands every worker of {@link ResidentAveragingMaster} beyond the
 * network: the gradient penalty protecting the earlier tasks (EWC, SI) and the replay memory of their examples.
 * Each is broadcast once, at the first round after it was set, and destroyed when it is replaced, so a task's
 * rounds ship neither again.
 */
final class ContinualBroadcasts {

    private GradientPenalty penalty;
    private Broadcast<byte[]> penaltyBroadcast;
    private byte[] replayMemory;
    private Broadcast<byte[]> replayBroadcast;

    /** The penalty every worker adds to its loss from the next round on (null: none). */
    void penalize(GradientPenalty penalty) {
        releasePenalty();
        this.penalty = penalty;
    }

    /** The memory ({@link ReplayMemory#encoded}) every worker draws from from the next round on (null: none). */
    void replayFrom(byte[] memory) {
        releaseReplay();
        this.replayMemory = memory;
    }

    /** Broadcasts what was set since the last round. */
    void broadcast(JavaSparkContext sc) {
        if (penalty != null && penaltyBroadcast == null) {
            penaltyBroadcast = sc.broadcast(ResidentRoundTask.serialize(penalty));
        }
        if (replayMemory != null && replayBroadcast == null) {
            replayBroadcast = sc.broadcast(replayMemory);
        }
    }

    /** The serialized penalty, or null when there is none. */
    Broadcast<byte[]> penalty() {
        return penaltyBroadcast;
    }

    /** The replay memory, or null when there is none. */
    Broadcast<byte[]> replay() {
        return replayBroadcast;
    }

    void release() {
        releasePenalty();
        releaseReplay();
    }

    private void releaseReplay() {
        if (replayBroadcast != null) {
            replayBroadcast.destroy();
            replayBroadcast = null;
        }
        replayMemory = null;
    }

    private void releasePenalty() {
        if (penaltyBroadcast != null) {
            penaltyBroadcast.destroy();
            penaltyBroadcast = null;
        }
        penalty = null;
    }
}

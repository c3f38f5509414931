package org.neuroplastic.jobs.sweep;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed trial leaves: its full stack trace in the log of the JVM where it failed (the executor's
 * for a trial task, the driver's otherwise), through SLF4J, and the first line of its message for the
 * trials table's {@code error}, which is one line so that the table stays readable.
 */
final class TrialFailure {

    private static final Logger LOG = LoggerFactory.getLogger(TrialFailure.class);

    private TrialFailure() {
    }

    /** Logs {@code failure} of {@code what} (e.g. "trial t0003") with its stack trace; returns its first line. */
    static String logged(String what, Throwable failure) {
        LOG.warn("{} failed", what, failure);
        return firstLine(failure);
    }

    static String firstLine(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
        return message.lines().findFirst().orElse(failure.getClass().getName());
    }
}

package org.neuroplastic.jobs.data;

import org.neuroplastic.jobs.config.InvalidInputException;

/**
 * What is wrong with one line or record of a data file, without saying where: a line's number is only
 * known once the lines before it, possibly read by other tasks, are counted, so the reader that knows it
 * adds the file and line ({@link #at}).
 */
final class BadRecord extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BadRecord(String problem) {
        super(problem, null, false, false);
    }

    /** The one-line rejection, {@code where} naming the file and line or record. */
    InvalidInputException at(String where) {
        return new InvalidInputException(where + ": " + getMessage());
    }
}

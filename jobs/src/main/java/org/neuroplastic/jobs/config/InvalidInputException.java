package org.neuroplastic.jobs.config;

/**
 * Bad input from the user: a configuration value, a command-line argument or a data file. The
 * message is one line naming the file, key or row, what was expected and what was found; the command
 * line prints it as is and exits with code 2.
 */
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }
}

package org.neuroplastic.jobs.config;

/**
 * Bad input from the user: a configuration value, a command-line argument or a data file. The
 * message is one line naming the file, key or row, what was expected and what was found; the command
 * line prints it as is and exits with code 2.
 */
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(oneLine(message));
    }

    /**
     * Messages quote what the user wrote (a key, a value, an argument), which may hold line breaks or other
     * control characters: they are shown escaped so that the message stays one line on a terminal.
     */
    public static String oneLine(String message) {
        if (message == null || message.chars().noneMatch(Character::isISOControl)) {
            return message;
        }
        StringBuilder line = new StringBuilder(message.length() + 16);
        message.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        line.append(String.format("\\u%04x", c));
                    } else {
                        line.appendCodePoint(c);
                    }
                }
            }
        });
        return line.toString();
    }
}

package org.neuroplastic.jobs.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** One command line run in-process through {@link Neuroplastic#execute}: its exit code and what it printed. */
public record CommandRun(int code, String out, String err) {

    /** Runs {@code neuroplastic} with the arguments' string forms (paths, numbers, strings). */
    public static CommandRun of(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] line = Stream.of(args).map(Object::toString).toArray(String[]::new);
        int code = Neuroplastic.execute(line, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandRun(code, out.toString(), err.toString());
    }

    public List<String> errLines() {
        return err.lines().toList();
    }

    /**
     * Asserts the answer to bad input: exit code 2, nothing on standard output, exactly one line on
     * standard error holding every one of {@code expected} (the file, key or row, and what was expected),
     * and {@code folder} exactly as it was before the run (no output, no staging leftovers).
     */
    public void assertRejected(FolderSnapshot folder, String... expected) {
        assertThat(code).as(err).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(out).isEmpty();
        assertThat(errLines()).singleElement().asString().startsWith("error: ").contains(expected);
        folder.assertUnchanged();
    }
}

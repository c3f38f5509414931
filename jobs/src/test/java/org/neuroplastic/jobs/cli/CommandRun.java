package org.neuroplastic.jobs.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;

/** One command line run in-process through {@link Neuroplastic#execute}: its exit code and what it printed. */
record CommandRun(int code, String out, String err) {

    /** Runs {@code neuroplastic} with the arguments' string forms (paths, numbers, strings). */
    static CommandRun of(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] line = Stream.of(args).map(Object::toString).toArray(String[]::new);
        int code = Neuroplastic.execute(line, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandRun(code, out.toString(), err.toString());
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}

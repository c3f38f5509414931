package org.neuroplastic.bench;

import org.neuroplastic.jobs.config.InvalidInputException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Runs one benchmark's picocli command as bin/benchmark does, with the jobs' exit codes: 0 done, 2 a bad
 * argument or input (one line on stderr), 1 a failure (its stack trace).
 */
final class BenchmarkCommandLine {

    static final int BAD_INPUT = 2;

    private BenchmarkCommandLine() {
    }

    /** Runs {@code command} on {@code args} and exits the JVM with its code. */
    static void main(Object command, String[] args) {
        System.exit(execute(command, args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static int execute(Object command, String[] args, PrintWriter out, PrintWriter err) {
        return new CommandLine(command)
                // bin/benchmark passes fashion-mnist's --config before the user's arguments: a later one replaces it.
                .setOverwrittenOptionsAllowed(true)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((e, arguments) -> {
                    err.println("error: " + InvalidInputException.oneLine(e.getMessage()) + " (see: bin/"
                            + e.getCommandLine().getCommandName() + " --help)");
                    return BAD_INPUT;
                })
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                        if (cause instanceof InvalidInputException) {
                            err.println("error: " + cause.getMessage());
                            return BAD_INPUT;
                        }
                    }
                    throw e;
                })
                .execute(args);
    }
}

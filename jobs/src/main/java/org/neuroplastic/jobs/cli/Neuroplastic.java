package org.neuroplastic.jobs.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.neuroplastic.jobs.config.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * The command line: {@code neuroplastic <job> --config FILE [--set key=value]... [--out DIR]
 * [--master URL] [--overwrite]}. Exit codes: 0 success, 2 bad input (configuration, data, arguments,
 * existing output, a model file that is not one, nothing to resume), 3 a train run that diverged (its rows
 * up to that step are committed and its runs row says {@code diverged}), 1 internal failure.
 */
@Command(name = "neuroplastic",
        description = "Spark batch jobs that train Deeplearning4j networks with biologically inspired plasticity.",
        subcommands = {GenerateCommand.class, TrainCommand.class, SweepCommand.class, AnalyzeCommand.class})
public final class Neuroplastic implements Runnable {

    public static final int BAD_INPUT = 2;
    public static final int INTERNAL_FAILURE = 1;
    public static final int DIVERGED = 3;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a job: generate, train, sweep or analyze");
    }

    public static void main(String[] args) {
        quietSpark();
        int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        // In YARN's cluster deploy mode main runs inside the application master, which reports the outcome
        // once main returns: exiting first makes YARN record a success as a failure.
        if (code != 0 || !insideYarnApplicationMaster()) {
            System.exit(code);
        }
    }

    private static boolean insideYarnApplicationMaster() {
        return "cluster".equals(System.getProperty("spark.submit.deployMode"))
                && String.valueOf(System.getProperty("spark.master")).startsWith("yarn");
    }

    /**
     * Under spark-submit the cluster's logging configuration is in force, not the one in our jar, and Spark's
     * INFO lines bury the progress table: keep them to warnings unless the user chose a configuration.
     */
    private static void quietSpark() {
        if (System.getProperty("log4j2.configurationFile") == null) {
            Configurator.setRootLevel(Level.WARN);
            Configurator.setLevel("org.neuroplastic", Level.INFO);
        }
    }

    /** Runs the command line with the given streams and returns its exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return new CommandLine(new Neuroplastic())
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((e, arguments) -> {
                    err.println("error: " + InvalidInputException.oneLine(e.getMessage()) + " (see: " + qualified(e.getCommandLine()) + " --help)");
                    return BAD_INPUT;
                })
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                        if (cause instanceof InvalidInputException) {
                            err.println("error: " + cause.getMessage());
                            return BAD_INPUT;
                        }
                    }
                    err.println("internal error: " + e);
                    e.printStackTrace(err);
                    return INTERNAL_FAILURE;
                })
                .execute(args);
    }

    private static String qualified(CommandLine commandLine) {
        return commandLine.getParent() == null ? commandLine.getCommandName()
                : qualified(commandLine.getParent()) + " " + commandLine.getCommandName();
    }
}

package org.neuroplastic.bench;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * What every benchmark's command has besides its own arguments: {@code --help}, and a way to refuse an
 * argument value that only its checks after parsing can judge, which {@link BenchmarkCommandLine} then
 * reports as picocli's own parse errors (one line, exit code 2).
 */
abstract class BenchmarkCommand implements Callable<Integer> {

    /**
     * picocli lists a superclass's options before the subclass's; an order after every default one keeps
     * {@code --help} last in each benchmark's help, where its own options come first.
     */
    private static final int LAST = 1000;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = LAST, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec commandLine;

    /** A bad argument value, found after picocli parsed the line. */
    ParameterException badArgument(String message) {
        return new ParameterException(commandLine.commandLine(), message);
    }
}

package org.neuroplastic.bench;

import org.neuroplastic.jobs.sweep.SweptParameter;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Optuna's TPE sampler in a {@code python3} child process ({@code optuna_ask_tell.py}, passed with
 * {@code -c}), driven by ask and tell lines ({@link AskTellCodec}), so that the objective Optuna's
 * suggestions are scored with is the benchmark's own Java code. The child's errors go to the benchmark's
 * standard error.
 */
final class OptunaProcess implements AutoCloseable {

    private static final String SCRIPT = "optuna_ask_tell.py";

    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;

    private OptunaProcess(Process process) {
        this.process = process;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Optuna's version as {@code python} imports it, or null when it cannot (no such interpreter, or no
     * optuna module for it).
     */
    static String version(String python) {
        try {
            Process probe = new ProcessBuilder(python, "-c", "import optuna; print(optuna.__version__)")
                    .redirectErrorStream(true).start();
            String text = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return probe.waitFor() == 0 && !text.isEmpty() ? text : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static OptunaProcess start(String python) {
        try (InputStream script = OptunaProcess.class.getResourceAsStream(SCRIPT)) {
            if (script == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the application jar");
            }
            String text = new String(script.readAllBytes(), StandardCharsets.UTF_8);
            return new OptunaProcess(new ProcessBuilder(python, "-c", text)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a new study: minimise, {@code TPESampler(seed=seed)}, over {@code parameters}' distributions; with
     * {@code fix5110}, the Parzen log-density as Optuna corrected it after 3.1 (optuna_ask_tell.py).
     */
    void study(long seed, List<SweptParameter> parameters, boolean fix5110) {
        send(AskTellCodec.study(seed, parameters, fix5110));
    }

    AskTellCodec.Ask ask() {
        send(AskTellCodec.ask());
        try {
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("the optuna process ended without answering an ask; "
                        + "its error is above");
            }
            return AskTellCodec.answer(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void tell(int number, double value) {
        send(AskTellCodec.tell(number, value));
    }

    private void send(String line) {
        try {
            in.write(line);
            in.newLine();
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the optuna process stopped reading", e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
        }
    }
}

package org.neuroplastic.bench;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class BenchmarkCommandLineTest {

    @Test
    void aBadArgumentIsOneLineAndExitCodeTwo() {
        StringWriter err = new StringWriter();

        int code = execute(new PlasticityBenchmark(), err, "seven");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("error: ").contains("ROUNDS", "seven")
                .endsWith("(see: bin/benchmark plasticity --help)");
    }

    @Test
    void aValueOutOfRangeIsOneLineAndExitCodeTwo() {
        StringWriter err = new StringWriter();

        assertThat(execute(new PlasticityBenchmark(), err, "0", "5")).isEqualTo(2);
        assertThat(execute(new PlasticityBenchmark(), err, "1", "5", "everything")).isEqualTo(2);
        assertThat(execute(new FashionMnistBenchmark(), err, "--epochs", "0")).isEqualTo(2);
        assertThat(execute(new SearchBenchmark(), err, "--objectives", "rosenbrock")).isEqualTo(2);
        assertThat(execute(new AveragingBenchmark(), err, "--epoch", "3")).isEqualTo(2);
        assertThat(execute(new HalvingBenchmark(), err, "--reduction-factor", "1")).isEqualTo(2);

        assertThat(err.toString().lines()).hasSize(6).allSatisfy(line -> assertThat(line).startsWith("error: "));
        assertThat(err.toString()).contains("ROUNDS and STEPS_PER_BLOCK must be >= 1", "'everything'",
                "--epochs must be >= 1, found 0", "found rosenbrock", "--epoch", "--reduction-factor >= 2");
    }

    @Test
    void everyBenchmarkHasHelpThatKeepsItsOptionNamesAndDefaults() {
        assertThat(help(new PlasticityBenchmark())).contains("ROUNDS", "STEPS_PER_BLOCK", "breakdown", "default: 7",
                "default: 50");
        assertThat(help(new AveragingBenchmark())).contains("--epochs", "--stock-epochs", "--averaging-frequency",
                "--batch");
        assertThat(help(new FashionMnistBenchmark())).contains("--master", "--config", "--set", "--mllib-iterations",
                "--mllib-chunk", "--mllib-confirm", "--mllib-resolution", "--evaluate-every-rounds", "--target",
                "--warm-up-epochs");
        assertThat(help(new ScalingBenchmark())).contains("--workers", "--parameters", "--standalone", "--conf");
        assertThat(help(new SweepHeapBenchmark())).contains("--trials", "--master", "50,200)");
        assertThat(help(new SearchBenchmark())).contains("--seeds", "--trials", "--objectives", "--iris-seeds",
                "--iris-epochs", "--python");
        assertThat(help(new HalvingBenchmark())).contains("--trials", "--repeats", "--epochs", "--rungs",
                "--reduction-factor", "--min-epochs", "--metric", "--master");
    }

    private static int execute(Object benchmark, StringWriter err, String... args) {
        return BenchmarkCommandLine.execute(benchmark, args, new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
    }

    private static String help(Object benchmark) {
        StringWriter out = new StringWriter();
        int code = BenchmarkCommandLine.execute(benchmark, new String[] {"--help"}, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        assertThat(code).isZero();
        return out.toString();
    }
}

package org.neuroplastic.jobs.deploy;

import org.apache.hadoop.util.VersionInfo;
import org.junit.jupiter.api.Test;
import org.neuroplastic.jobs.cli.Neuroplastic;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launch recipes of deploy/ (spark-submit settings, the Kubernetes image and its submit script) name what
 * the build makes: the same --add-opens list, jar, main class and versions. Docker cannot run here, so this is
 * what keeps the recipes from drifting away from the code.
 */
class DeployRecipeTest {

    private static final Path ROOT = Path.of("..");
    /** The client compiler alone (bin/benchmark jit). */
    private static final String JIT = "-XX:TieredStopAtLevel=1";
    /** JavaCPP's resident-memory check off (bin/lib/jvm-options.sh says why). */
    private static final String JAVACPP = "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0";
    /** The parallel garbage collector (bin/lib/jvm-options.sh says why). */
    private static final String GC = "-XX:+UseParallelGC";

    @Test
    void everyJvmOfASubmissionGetsTheOpensOfTheOneListAndOneBlasThreadPerTask() throws IOException {
        List<String> opens = opens();
        assertThat(opens).isNotEmpty().allMatch(option -> option.startsWith("--add-opens="));
        String defaults = read("deploy/spark-defaults.conf");
        List<String> withJvmOptions = new java.util.ArrayList<>(opens);
        withJvmOptions.addAll(List.of(JIT, JAVACPP, GC));
        assertThat(words(setting(defaults, "spark.yarn.am.extraJavaOptions"))).isEqualTo(opens);
        for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
            assertThat(words(setting(defaults, key))).as(key).isEqualTo(withJvmOptions);
        }
        assertThat(setting(defaults, "spark.executorEnv.OMP_NUM_THREADS")).isEqualTo("1");
        assertThat(setting(defaults, "spark.yarn.appMasterEnv.OMP_NUM_THREADS")).isEqualTo("1");
        assertThat(setting(defaults, "spark.executor.memoryOverhead")).isNotBlank();
        for (String script : List.of("bin/neuroplastic", "bin/benchmark")) {
            // The scripts read the list rather than repeat it.
            assertThat(read(script)).as(script).contains("\"$root/deploy/add-opens.txt\"", "\"${add_opens[@]}\"");
            assertThat(scriptOpens(read(script))).as(script).isEmpty();
        }
    }

    @Test
    void thePomReadsTheOneListIntoTheTestJvms() throws IOException {
        String pom = read("pom.xml");
        assertThat(scriptOpens(pom)).as("opens written in the root pom").isEmpty();
        assertThat(pom).contains("<argLine>-Xmx4g @{spark.add-opens} ${jvm.options}</argLine>",
                "<argLine>-Xmx2g @{spark.add-opens} ${jvm.options}</argLine>",
                "<jvm.options>" + JIT + " " + JAVACPP + " " + GC + "</jvm.options>");
        // This JVM is surefire's: it was started with every option of the list, and the launcher's options.
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments()).containsAll(opens()).contains(JIT, JAVACPP, GC);
        assertThat(org.bytedeco.javacpp.Pointer.maxPhysicalBytes()).as("JavaCPP read the option").isZero();
    }

    @Test
    void theScriptsRunTheClientCompilerAndTheParallelCollectorUnlessAskedOtherwiseAndRefuseAnythingElse() throws Exception {
        assertThat(jvmOptionsOf(null, null)).isEqualTo(new Outcome(0, JIT + " " + JAVACPP + " " + GC));
        assertThat(jvmOptionsOf("c1", "parallel")).isEqualTo(new Outcome(0, JIT + " " + JAVACPP + " " + GC));
        assertThat(jvmOptionsOf("tiered", null)).isEqualTo(new Outcome(0, JAVACPP + " " + GC));
        assertThat(jvmOptionsOf(null, "g1")).isEqualTo(new Outcome(0, JIT + " " + JAVACPP));
        Outcome refusedCollector = jvmOptionsOf(null, "zgc");
        assertThat(refusedCollector.status()).isEqualTo(2);
        assertThat(refusedCollector.output()).contains("NEUROPLASTIC_GC is 'zgc'; expected parallel (the default) or g1");
        Outcome refused = jvmOptionsOf("c2", null);
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.output()).contains("NEUROPLASTIC_JIT is 'c2'; expected c1 (the default) or tiered");
        // Both scripts take it from the one file: the driver and the executors bin/neuroplastic configures,
        // and the benchmarks' JVM.
        assertThat(read("bin/neuroplastic")).contains("source \"$root/bin/lib/jvm-options.sh\"",
                "\"${jvm_options[@]}\"", "-Dspark.executor.extraJavaOptions=\"${add_opens[*]} ${jvm_options[*]}\"");
        assertThat(read("bin/benchmark")).contains("source \"$root/bin/lib/jvm-options.sh\"", "\"${jvm_options[@]}\"");
    }

    private record Outcome(int status, String output) {
    }

    /**
     * What bin/lib/jvm-options.sh puts in {@code jvm_options} with NEUROPLASTIC_JIT set to {@code mode} and
     * NEUROPLASTIC_GC to {@code collector} (null: unset).
     */
    private static Outcome jvmOptionsOf(String mode, String collector) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                "source bin/lib/jvm-options.sh && echo \"${jvm_options[*]}\"")
                .directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().remove("NEUROPLASTIC_JIT");
        builder.environment().remove("NEUROPLASTIC_GC");
        if (mode != null) {
            builder.environment().put("NEUROPLASTIC_JIT", mode);
        }
        if (collector != null) {
            builder.environment().put("NEUROPLASTIC_GC", collector);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return new Outcome(process.waitFor(), output);
    }

    /** deploy/add-opens.txt: one option a line, '#' comments. */
    private static List<String> opens() throws IOException {
        return Files.readAllLines(ROOT.resolve("deploy/add-opens.txt")).stream()
                .map(line -> line.replaceAll("#.*", "").trim()).filter(line -> !line.isEmpty()).toList();
    }

    @Test
    void theKubernetesImageIsBuiltOnTheSparkScalaJavaAndHadoopOfTheBuild() throws IOException {
        String dockerfile = read("deploy/kubernetes/Dockerfile");
        String image = argument(dockerfile, "SPARK_IMAGE");
        assertThat(image).isEqualTo("apache/spark:" + property("spark.version") + "-scala"
                + property("scala.binary.version") + "-java" + property("maven.compiler.release") + "-ubuntu");
        assertThat(argument(dockerfile, "HADOOP_AWS_VERSION")).as("the Hadoop client Spark runs with")
                .isEqualTo(VersionInfo.getVersion());
        assertThat(argument(dockerfile, "AWS_SDK_BUNDLE_VERSION")).isEqualTo(property("aws-java-sdk-bundle.version"));
        assertThat(dockerfile).contains("COPY jobs/target/neuroplastic-jobs-*-app.jar /opt/neuroplastic/neuroplastic-jobs-app.jar");
        assertThat(read("jobs/pom.xml")).contains("<shadedClassifierName>app</shadedClassifierName>",
                "<artifactId>neuroplastic-jobs</artifactId>");
    }

    @Test
    void theSubmitScriptRunsTheImagesJarWithTheCommandLinesMainClass() throws IOException {
        String submit = read("deploy/kubernetes/submit.sh");
        assertThat(submit).contains("--class " + Neuroplastic.class.getName(),
                "local:///opt/neuroplastic/neuroplastic-jobs-app.jar", "--properties-file \"$here/../spark-defaults.conf\"",
                "--deploy-mode cluster");
        assertThat(Files.isExecutable(ROOT.resolve("deploy/kubernetes/submit.sh"))).isTrue();
        String readme = read("README.md");
        assertThat(readme).contains("--class " + Neuroplastic.class.getName(), "deploy/spark-defaults.conf",
                "deploy/kubernetes/Dockerfile");
    }

    private static String read(String file) throws IOException {
        return Files.readString(ROOT.resolve(file));
    }

    private static String property(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</" + Pattern.quote(name) + ">")
                .matcher(read("pom.xml"));
        assertThat(m.find()).as("the root pom's property %s", name).isTrue();
        return m.group(1).trim();
    }

    private static String setting(String properties, String key) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s+(.+)$").matcher(properties);
        assertThat(m.find()).as("setting %s", key).isTrue();
        return m.group(1).trim();
    }

    private static String argument(String dockerfile, String name) {
        Matcher m = Pattern.compile("(?m)^ARG " + Pattern.quote(name) + "=(\\S+)$").matcher(dockerfile);
        assertThat(m.find()).as("ARG %s", name).isTrue();
        return m.group(1);
    }

    /** The opens a launcher script lists, in order. */
    private static List<String> scriptOpens(String script) {
        return Pattern.compile("--add-opens=[^\\s\\\\]+").matcher(script).results().map(MatchResult::group)
                .distinct().toList();
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).toList();
    }
}

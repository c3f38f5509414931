package org.neuroplastic.jobs.results;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The runs table's {@code versions}: what software a run ran on, for its provenance. */
public final class SoftwareVersions {

    private SoftwareVersions() {
    }

    public static Map<String, String> current() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("neuroplastic", mavenVersion(SoftwareVersions.class, "org.neuroplastic", "neuroplastic-jobs"));
        versions.put("deeplearning4j", mavenVersion(MultiLayerNetwork.class, "org.deeplearning4j", "deeplearning4j-nn"));
        versions.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        versions.put("scala", scala.util.Properties.versionNumberString());
        versions.put("java", System.getProperty("java.version"));
        return versions;
    }

    /**
     * The version in the artifact's Maven pom.properties, which every jar built by Maven carries (the
     * shaded application jar too); neither our jar nor DL4J's names an Implementation-Version in its
     * manifest. "unknown" when running from class folders, as in this module's own tests.
     */
    private static String mavenVersion(Class<?> fromArtifact, String groupId, String artifactId) {
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = fromArtifact.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}

package org.neuroplastic.jobs.results;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Model files are read through DL4J's format only, and never with an entry DL4J would Java-deserialize. */
class ModelArchiveTest {

    @TempDir
    Path dir;

    private static MultiLayerNetwork network() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        return network;
    }

    private Path written(MultiLayerNetwork network) throws IOException {
        Path file = dir.resolve("model.zip");
        ModelSerializer.writeModel(network, file.toFile(), true);
        return file;
    }

    @Test
    void modelFilesOfTheJobsReadBackWithTheirParameters() throws IOException {
        MultiLayerNetwork network = network();
        MultiLayerNetwork read = ModelArchive.read( LocalFiles.storage(),LocalFiles.at(written(network)), true);
        assertThat(read.params()).isEqualTo(network.params());
        assertThat(read.getUpdater().getStateViewArray()).isEqualTo(network.getUpdater().getStateViewArray());
    }

    @Test
    void archiveWithAJavaSerializedPreprocessorIsRefusedBeforeDl4jReadsIt() throws IOException {
        Path model = written(network());
        Path hostile = dir.resolve("hostile.zip");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(model));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(hostile))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
            }
            out.putNextEntry(new ZipEntry(ModelSerializer.PREPROCESSOR_BIN));
            ByteArrayOutputStream serialized = new ByteArrayOutputStream();
            try (ObjectOutputStream objects = new ObjectOutputStream(serialized)) {
                objects.writeObject(new java.util.ArrayList<>(java.util.List.of("any serializable object graph")));
            }
            out.write(serialized.toByteArray());
        }
        assertThatThrownBy(() -> ModelArchive.read( LocalFiles.storage(),LocalFiles.at(hostile), true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(hostile + ": not a model file of these jobs: it holds the entry 'preprocessor.bin' (expected only "
                        + "coefficients.bin, configuration.json, noParams.marker, updaterState.bin)");
    }

    @Test
    void fileThatIsNotAZipArchiveIsRefused() throws IOException {
        Path garbage = Files.writeString(dir.resolve("model.zip"), "a text file under a model name\n");
        assertThatThrownBy(() -> ModelArchive.read( LocalFiles.storage(),LocalFiles.at(garbage), true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(garbage + ": not a model file (no configuration.json)");
    }

    @Test
    void zipWithoutAConfigurationIsRefused() throws IOException {
        Path zip = dir.resolve("model.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry(ModelSerializer.COEFFICIENTS_BIN));
            out.write(new byte[] {1, 2, 3});
        }
        assertThatThrownBy(() -> ModelArchive.read( LocalFiles.storage(),LocalFiles.at(zip), true))
                .hasMessage(zip + ": not a model file (no configuration.json; found coefficients.bin)");
    }

    @Test
    void truncatedModelFileIsOneLineOfBadInput() throws IOException {
        Path model = written(network());
        byte[] bytes = Files.readAllBytes(model);
        try (OutputStream out = Files.newOutputStream(model)) {
            out.write(Arrays.copyOf(bytes, bytes.length * 2 / 3));
        }
        assertThatThrownBy(() -> ModelArchive.read( LocalFiles.storage(),LocalFiles.at(model), true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(model + ": not ")
                .hasMessageNotContaining("\n");
    }
}

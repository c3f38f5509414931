package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.neuroplastic.jobs.config.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Deeplearning4j model files (checkpoints and the final model), read only through DL4J's own model
 * format. Before DL4J sees a file, its zip entries are checked: DL4J would read a {@code preprocessor.bin}
 * or {@code normalizer.bin} entry with Java serialization, so a file holding anything beyond the
 * configuration, the coefficients and the updater state is refused, as is a file that is not a zip or
 * lacks one of the first two.
 */
public final class ModelFile {

    private static final Set<String> ALLOWED = Set.of(ModelSerializer.CONFIGURATION_JSON,
            ModelSerializer.COEFFICIENTS_BIN, ModelSerializer.UPDATER_BIN, ModelSerializer.NO_PARAMS_MARKER);
    private static final List<String> REQUIRED = List.of(ModelSerializer.CONFIGURATION_JSON,
            ModelSerializer.COEFFICIENTS_BIN);

    private ModelFile() {
    }

    /**
     * The network with its updater state and counters.
     *
     * @throws InvalidInputException (one line naming the file) when it is not a DL4J model file of a
     *                               MultiLayerNetwork
     */
    public static MultiLayerNetwork read(Path file) {
        List<String> entries = entries(file);
        for (String entry : entries) {
            if (!ALLOWED.contains(entry)) {
                throw new InvalidInputException(file + ": not a model file of this product: it holds the entry "
                        + entry + ", expected only " + String.join(", ", ALLOWED.stream().sorted().toList()));
            }
        }
        for (String entry : REQUIRED) {
            if (!entries.contains(entry)) {
                throw new InvalidInputException(file + ": not a Deeplearning4j model file: it has no " + entry
                        + " entry, found " + (entries.isEmpty() ? "no entries" : String.join(", ", entries)));
            }
        }
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new InvalidInputException(file + ": not a readable Deeplearning4j model file: "
                    + message.lines().findFirst().orElse(""));
        }
    }

    /**
     * Writes the network with its updater state under a temporary name, then renames it into place, so
     * that a file of this name is always complete.
     */
    public static void write(MultiLayerNetwork network, Path file) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.createDirectories(file.getParent());
            ModelSerializer.writeModel(network, partial.toFile(), true);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write model file " + file, e);
        }
    }

    private static List<String> entries(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": expected a model file, found " + (Files.exists(file)
                    ? "something that is not a regular file" : "nothing"));
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<String> names = new ArrayList<>();
            for (ZipEntry entry : Collections.list(zip.entries())) {
                names.add(entry.getName());
            }
            return names;
        } catch (ZipException e) {
            throw new InvalidInputException(file + ": not a model file: not a readable zip archive ("
                    + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read the model file: " + e.getMessage());
        }
    }
}

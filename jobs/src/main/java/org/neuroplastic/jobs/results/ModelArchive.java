package org.neuroplastic.jobs.results;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads networks from Deeplearning4j's model format (a zip of {@code configuration.json}, the parameters
 * and optionally the updater state, as {@link ModelSerializer#writeModel} writes them) and nothing else.
 * <p>
 * DL4J's reader also restores a {@code preprocessor.bin} entry if one is present, with Java serialization
 * ({@code ObjectInputStream.readObject}): a crafted model file could run code through it. The jobs never
 * write that entry, so an archive holding any entry beyond the ones they write is refused before DL4J
 * sees it. The entries are listed with the same parser DL4J uses ({@link ZipInputStream}) over the same
 * bytes, so the check and the read cannot see different archives.
 */
public final class ModelArchive {

    /** What {@code ModelSerializer.writeModel} writes for a MultiLayerNetwork without a normalizer. */
    static final Set<String> ENTRIES = Set.of(ModelSerializer.CONFIGURATION_JSON, ModelSerializer.COEFFICIENTS_BIN,
            ModelSerializer.UPDATER_BIN, ModelSerializer.NO_PARAMS_MARKER);
    /** Without these DL4J has no network to restore. */
    private static final List<String> REQUIRED = List.of(ModelSerializer.CONFIGURATION_JSON,
            ModelSerializer.COEFFICIENTS_BIN);

    private ModelArchive() {
    }

    /** Reads a model file; anything that is not one of the jobs' model files is bad input. */
    public static MultiLayerNetwork read(Storage storage, Location file, boolean loadUpdater) {
        byte[] bytes;
        try {
            bytes = storage.readBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read the model file: " + e.getMessage());
        }
        return read(bytes, file.toString(), loadUpdater);
    }

    /** Reads a model from {@code bytes} that came from {@code source} (named in messages). */
    public static MultiLayerNetwork read(byte[] bytes, String source, boolean loadUpdater) {
        Set<String> names = new LinkedHashSet<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (!ENTRIES.contains(entry.getName())) {
                    throw new InvalidInputException(source + ": not a model file of these jobs: it holds the entry '"
                            + entry.getName() + "' (expected only " + String.join(", ", ENTRIES.stream().sorted().toList())
                            + ")");
                }
                names.add(entry.getName());
            }
        } catch (IOException e) {
            throw new InvalidInputException(source + ": not a model file (not a readable zip archive: " + e.getMessage() + ")");
        }
        for (String entry : REQUIRED) {
            if (!names.contains(entry)) {
                throw new InvalidInputException(source + ": not a model file (no " + entry
                        + (names.isEmpty() ? "" : "; found " + String.join(", ", names)) + ")");
            }
        }
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), loadUpdater);
        } catch (IOException | RuntimeException e) {
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new InvalidInputException(source + ": not a readable model file: " + e.getClass().getSimpleName()
                    + (message.isEmpty() || message.equals("null") ? "" : ": " + message));
        }
    }

    /**
     * Writes the network with its updater state so that a file of this name is always complete (a killed
     * driver leaves the previous checkpoint intact): see {@link Storage#writeCompletely}.
     */
    public static void write(MultiLayerNetwork network, Storage storage, Location file) {
        try {
            storage.writeCompletely(file, out -> ModelSerializer.writeModel(network, out, true));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write model file " + file, e);
        }
    }

    /**
     * The model file of {@code network} as it is now, with its updater state, for writing later with
     * {@link #write(byte[], Storage, Location)} while the network trains on.
     */
    public static byte[] bytes(MultiLayerNetwork network) {
        // Sized for the parameters and updater state as floats (a little more than the zip holds), so that a
        // large network's bytes are not copied again and again as the buffer grows.
        INDArray updaterState = network.getUpdater() == null ? null : network.getUpdater().getStateViewArray();
        long values = network.numParams() + (updaterState == null ? 0 : updaterState.length());
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
                4 * values + (1 << 16)));
        try {
            ModelSerializer.writeModel(network, out, true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialize the network", e);
        }
        return out.toByteArray();
    }

    /** Writes model file bytes from {@link #bytes} as {@link #write(MultiLayerNetwork, Storage, Location)} does. */
    public static void write(byte[] model, Storage storage, Location file) {
        try {
            storage.writeCompletely(file, model);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write model file " + file, e);
        }
    }
}

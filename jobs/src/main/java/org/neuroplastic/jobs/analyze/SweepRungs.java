package org.neuroplastic.jobs.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.sweep.EarlyStop;

import java.io.IOException;
import java.util.List;

/**
 * The epochs after which a sweep with early stopping compared its trials (its rungs), read from the sweep's
 * {@code config.yaml}: where a learning curve of a stopped trial ends, and why.
 */
final class SweepRungs {

    private SweepRungs() {
    }

    /** The rung epochs, ascending; empty without a sweep configuration or without {@code early_stop}. */
    static List<Integer> read(Storage storage, Location in) {
        Location file = in.resolve(SweepMetric.EFFECTIVE_CONFIG);
        JsonNode earlyStop;
        try {
            if (!storage.isFile(file)) {
                return List.of();
            }
            earlyStop = new ObjectMapper(new YAMLFactory()).readTree(storage.readText(file)).path("early_stop");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot be read as YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!earlyStop.isObject()) {
            return List.of();
        }
        try {
            // The kind decides when a rung is judged, not where: the epochs are the same for both.
            return new EarlyStop(earlyStop.path("rungs").asInt(0), earlyStop.path("reduction_factor").asInt(2),
                    earlyStop.path("min_epochs").asInt(1), EarlyStop.Kind.SYNCHRONOUS).rungEpochs();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(file + ": early_stop: " + e.getMessage());
        }
    }
}

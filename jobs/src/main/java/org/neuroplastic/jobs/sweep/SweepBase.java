package org.neuroplastic.jobs.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.ConfigSection;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.util.List;

/**
 * A sweep file's {@code base}: the train configuration every trial starts from.
 *
 * @param name   the base's name, for messages: its path, or the sweep file's name for an inline mapping
 * @param text   the base's text, as read
 * @param config the text read as is
 */
record SweepBase(String name, String text, TrainConfig config, Storage storage) {

    /** Reads {@code base:}; a path is relative to the sweep file's folder. */
    static SweepBase read(ConfigSection root, String file) {
        JsonNode base = root.raw("base");
        if (base == null || base.isNull()) {
            throw root.error("base", "base is required: a train configuration file (relative to the sweep file) "
                    + "or an inline mapping");
        }
        String name;
        String text;
        if (base.isTextual()) {
            Location sweepFile = root.locate("base", file);
            Location path;
            try {
                path = root.storage().locate(sweepFile.parent(), base.textValue());
            } catch (IllegalArgumentException e) {
                throw root.error("base", "base must be a file path or URI, found text '" + base.textValue() + "' ("
                        + e.getMessage() + ")");
            }
            name = path.toString();
            try {
                if (!root.storage().isFile(path)) {
                    throw root.error("base", "base names " + path + ", which does not exist");
                }
                text = root.storage().readText(path);
            } catch (IOException e) {
                throw root.error("base", "base names " + path + ", which cannot be read: " + e.getMessage());
            }
        } else if (base.isObject()) {
            name = file + " (base)";
            text = base.toString();
        } else {
            throw root.error("base", "base must be a file name or a mapping, found " + ConfigSection.kind(base));
        }
        TrainConfig config = TrainConfig.read(ConfigDocument.parse(root.storage(), name, text, List.of()));
        if (config.data() instanceof DataSource.Streamed) {
            throw root.error("base", name + ": data.stream (continual learning) is trained by the train job only; "
                    + "sweeps do not support it");
        }
        return new SweepBase(name, text, config, root.storage());
    }
}

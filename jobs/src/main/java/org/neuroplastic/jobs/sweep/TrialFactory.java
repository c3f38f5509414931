package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.storage.Storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds a setting's trials from the sweep's base: one per replica, each train configuration read and
 * validated. Grid and random settings are all built when the sweep file is read; {@code method: tpe}'s
 * later settings are built as they are drawn, from the same base.
 */
final class TrialFactory {

    private final String file;
    private final String baseName;
    private final String baseText;
    private final Storage storage;
    private final int replicas;
    private final EarlyStop earlyStop;

    /**
     * @param file     the sweep file, for messages
     * @param baseName the base train configuration's name, for messages
     * @param baseText the base's text, as read
     */
    TrialFactory(String file, String baseName, String baseText, Storage storage, int replicas, EarlyStop earlyStop) {
        this.file = file;
        this.baseName = baseName;
        this.baseText = baseText;
        this.storage = storage;
        this.replicas = replicas;
        this.earlyStop = earlyStop;
    }

    int replicas() {
        return replicas;
    }

    /** The trials of setting {@code s}, replica-minor; one-line error naming the trial if one is invalid. */
    List<Trial> trials(int s, Map<String, String> setting) {
        List<String> sets = sets(setting);
        List<Trial> trials = new ArrayList<>(replicas);
        TrainConfig first = null;
        for (int r = 0; r < replicas; r++) {
            String trialId = Trial.id(s * replicas + r);
            try {
                if (first == null) {
                    first = TrainConfig.read(ConfigDocument.parse(storage, baseName, baseText, sets));
                }
                trials.add(trial(trialId, s, r, setting, sets, first));
            } catch (InvalidInputException e) {
                throw new InvalidInputException(file + ": trial " + trialId + " (" + describe(setting) + ", replica " + r
                        + ") is invalid: " + e.getMessage());
            }
        }
        return trials;
    }

    /** Checks a setting that is not a trial (yet): its replica 0's configuration. */
    void check(Map<String, String> setting, String what) {
        try {
            trial("t", 0, 0, setting, sets(setting),
                    TrainConfig.read(ConfigDocument.parse(storage, baseName, baseText, sets(setting))));
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file + ": " + what + " (" + describe(setting) + ") is invalid: "
                    + e.getMessage());
        }
    }

    private static List<String> sets(Map<String, String> setting) {
        return setting.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static String describe(Map<String, String> setting) {
        return setting.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue()).collect(Collectors.joining(", "));
    }

    /** Replica {@code replica} of a setting whose replica 0 is {@code first}: the seeds move by the replica. */
    private Trial trial(String trialId, int setting, int replica, Map<String, String> parameters, List<String> sets,
                        TrainConfig first) {
        TrainConfig config = first;
        long seed = first.network().seed() + replica;
        DataSeed data = DataSeed.of(first.data());
        Long dataSeed = data == null ? null : data.value() + replica;
        if (replica > 0) {
            List<String> seeded = new ArrayList<>(sets);
            seeded.add("network.seed=" + seed);
            if (data != null) {
                seeded.add(data.key() + "=" + dataSeed);
            }
            config = TrainConfig.read(ConfigDocument.parse(storage, baseName, baseText, seeded));
        }
        if (earlyStop != null) {
            List<Integer> rungs = earlyStop.rungEpochs();
            int last = rungs.get(rungs.size() - 1);
            if (last >= config.training().epochs()) {
                throw new InvalidInputException("early_stop's last rung is after epoch " + last
                        + ", so training.epochs must be > " + last + ", found " + config.training().epochs());
            }
        }
        return new Trial(trialId, setting, replica, parameters, seed, dataSeed, config);
    }

    /** Which key seeds the data of a source, and its value. */
    private record DataSeed(String key, long value) {
        static DataSeed of(DataSource source) {
            if (source instanceof DataSource.Validated validated) {
                DataSeed inner = of(validated.source());
                // With a test file only the validation split is drawn, from data.split_seed all the same.
                return inner != null ? inner : new DataSeed("data.split_seed", validated.validation().seed());
            }
            if (source instanceof DataSource.Synthetic synthetic) {
                return new DataSeed("data.seed", synthetic.generator().seed());
            }
            DataSource.HoldOut holdOut = source instanceof DataSource.Csv csv ? csv.holdOut()
                    : source instanceof DataSource.LibSvm libSvm ? libSvm.holdOut()
                    : source instanceof DataSource.Idx idx ? idx.holdOut()
                    : ((DataSource.Parquet) source).holdOut();
            return holdOut == null ? null : new DataSeed("data.split_seed", holdOut.seed());
        }
    }
}

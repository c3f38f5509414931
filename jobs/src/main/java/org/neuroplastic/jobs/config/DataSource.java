package org.neuroplastic.jobs.config;

import org.neuroplastic.jobs.storage.Location;

import java.io.IOException;

/**
 * The {@code data:} section of a train job: where the examples come from. Paths may be URIs of any
 * Hadoop file system; a path without a scheme is on the default file system, relative to its working
 * folder (the current directory on the local disk). Each format reads only its own keys; any other key is rejected.
 */
public sealed interface DataSource {

    /** What the labels mean. */
    Target target();

    /**
     * Whether every feature is standardized with the mean and standard deviation of the training split
     * ({@code data.standardize}); see {@code data.Standardization}.
     */
    boolean standardize();

    enum Format { PARQUET, CSV, LIBSVM, IDX, SYNTHETIC }

    /**
     * Features an example may have, whatever the source: a bound on what a row costs before any row is
     * read (a LibSVM index or an IDX header could otherwise ask for arrays of 2^31 floats).
     */
    int MAX_FEATURES = 100_000;

    /**
     * How rows are put in the test split when the source does not say: row {@code r} is a test row when a
     * uniform draw derived from {@code (seed, r)} falls below {@code testFraction}.
     */
    record HoldOut(double testFraction, long seed) {
        public HoldOut {
            if (!(testFraction >= 0 && testFraction < 1)) {
                throw new IllegalArgumentException("test_fraction must be in [0, 1), found " + testFraction);
            }
        }
    }

    /**
     * The validation split ({@code data.validation_fraction}): a training row (never a test row) is a validation
     * row when a uniform draw derived from {@code (seed, row)}, in a stream apart from the test split's, falls
     * below {@code fraction}. Settings are selected on it, never on the test split (issue 19, item 2).
     */
    record ValidationSplit(double fraction, long seed) {
        public ValidationSplit {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("validation_fraction must be in (0, 1) (0 or absent: none), found "
                        + fraction);
            }
        }
    }

    /** A source made from another one, whose target and standardization it keeps. */
    sealed interface Derived extends DataSource permits Validated, Streamed {

        DataSource source();

        @Override
        default Target target() {
            return source().target();
        }

        @Override
        default boolean standardize() {
            return source().standardize();
        }
    }

    /** {@code source} with a validation split carved from its training rows. */
    record Validated(DataSource source, ValidationSplit validation) implements Derived {
        public Validated {
            if (source instanceof Streamed || source instanceof Validated) {
                throw new IllegalArgumentException("validation_fraction applies to one data set, found "
                        + source.getClass().getSimpleName());
            }
        }
    }

    /** Parquet files with the data set schema of docs/SCHEMA.md, e.g. written by {@code generate}. */
    record Parquet(Location path, Target target, HoldOut holdOut, boolean standardize) implements DataSource {
    }

    /** CSV with a header; the label column is named, every other column is a numeric feature. */
    record Csv(Location path, Location testPath, String labelColumn, Target target, HoldOut holdOut,
               boolean standardize) implements DataSource {
    }

    /** LibSVM text ({@code label index:value ...}, indices 1-based); {@code features} 0 infers the count. */
    record LibSvm(Location path, Location testPath, int features, Target target, HoldOut holdOut,
                  boolean standardize) implements DataSource {
        public LibSvm {
            if (features < 0 || features > MAX_FEATURES) {
                throw new IllegalArgumentException("features must be in [1, " + MAX_FEATURES + "] or auto, found " + features);
            }
        }
    }

    /**
     * (Fashion-)MNIST's IDX files, raw or gzip-compressed; pixels are scaled to [0, 1].
     *
     * @param limit     how many of the training file's first examples to use, {@link #ALL} for every one
     * @param testLimit the same for the test file
     */
    record Idx(Location images, Location labels, Location testImages, Location testLabels, Target target, HoldOut holdOut,
               int limit, int testLimit, boolean standardize) implements DataSource {

        /** {@code limit: all}: every example of the file. */
        public static final int ALL = Integer.MAX_VALUE;

        public Idx {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be >= 1 or all, found " + limit);
            }
            if (testLimit < 1) {
                throw new IllegalArgumentException("test_limit must be >= 1 or all, found " + testLimit);
            }
        }
    }

    /** Rows generated on the fly, exactly as {@code generate} would write them. */
    record Synthetic(GenerateConfig generator, boolean standardize) implements DataSource {
        @Override
        public Target target() {
            return generator.target();
        }
    }

    /**
     * A source cut into the tasks of a continual-learning stream. A
     * {@link Validated} source gives each task a validation split: the task's rows of the source's validation split.
     *
     * @param joint whether every task is trained at once, in one phase (the joint-training upper bound), instead
     *              of one after another; evaluated per task all the same
     */
    record Streamed(DataSource source, TaskStream stream, boolean joint) implements Derived {

        /** The stream trained task after task. */
        public static Streamed sequential(DataSource source, TaskStream stream) {
            return new Streamed(source, stream, false);
        }

        public Streamed {
            if (stream.online() && source instanceof Validated) {
                throw new IllegalArgumentException("validation_fraction needs an offline stream (an online stream has "
                        + "no held-out evaluation), found online: true");
            }
            if (joint && stream.online()) {
                throw new IllegalArgumentException("stream.joint needs an offline stream (an online task is seen "
                        + "once, in order), found online: true");
            }
        }
    }

    /** Reads the {@code data:} section, and its {@code stream} subsection when present. */
    static DataSource read(ConfigSection data) {
        ConfigSection stream = data.has("stream") ? data.section("stream") : null;
        return data.build(() -> {
            // Before the source's keys (a synthetic source rejects every key not read yet); read only when
            // written, so that the effective configuration of a run without one stays as it was.
            double validationFraction = data.has("validation_fraction") ? data.number("validation_fraction", 0) : 0;
            DataSource source = readSource(data);
            if (validationFraction != 0) {
                // Carved before the stream cuts the tasks, so a row is a validation row whatever the stream.
                source = new Validated(source, new ValidationSplit(validationFraction, validationSeed(data, source)));
            }
            if (stream == null) {
                return source;
            }
            // Read only when written, so that the effective configuration of a sequential stream stays as it was.
            boolean joint = stream.has("joint") && stream.flag("joint", false);
            TaskStream tasks = TaskStream.read(stream, source.target());
            if (tasks.online() && source instanceof Validated) {
                throw data.error("validation_fraction", data.key("validation_fraction") + " is not available with an "
                        + "online stream (data.stream.online: true), which has no held-out evaluation; remove one");
            }
            return new Streamed(source, tasks, joint);
        });
    }

    private static DataSource readSource(ConfigSection data) {
        return switch (data.choice("format", Format.class)) {
            case PARQUET -> new Parquet(parquetPath(data), readTarget(data), readHoldOut(data), standardize(data));
            case CSV -> {
                Location path = existingFile(data, "path");
                Location testPath = optionalFile(data, "test_path");
                yield new Csv(path, testPath, labelColumn(data), readTarget(data),
                        testPath == null ? readHoldOut(data) : null, standardize(data));
            }
            case LIBSVM -> {
                Location path = existingFile(data, "path");
                Location testPath = optionalFile(data, "test_path");
                yield new LibSvm(path, testPath, data.integerOr("features", "auto", 0), readTarget(data),
                        testPath == null ? readHoldOut(data) : null, standardize(data));
            }
            case IDX -> {
                Location images = existingFile(data, "images");
                Location labels = existingFile(data, "labels");
                Location testImages = optionalFile(data, "test_images");
                Location testLabels = testImages == null ? null : existingFile(data, "test_labels");
                yield new Idx(images, labels, testImages, testLabels,
                        Target.classification(data.integer("classes", 10)),
                        testImages == null ? readHoldOut(data) : null,
                        data.integerOr("limit", "all", Idx.ALL),
                        testImages == null ? Idx.ALL : data.integerOr("test_limit", "all", Idx.ALL),
                        standardize(data));
            }
            case SYNTHETIC -> {
                // Before the generator's keys: reading them rejects every key not read yet.
                boolean standardize = standardize(data);
                yield new Synthetic(GenerateConfig.read(data), standardize);
            }
        };
    }

    /** The seed the test split is drawn from: data.seed for synthetic data, data.split_seed otherwise. */
    private static long validationSeed(ConfigSection data, DataSource source) {
        if (source instanceof Synthetic synthetic) {
            return synthetic.generator().seed();
        }
        HoldOut holdOut = source instanceof Csv csv ? csv.holdOut() : source instanceof LibSvm libSvm ? libSvm.holdOut()
                : source instanceof Idx idx ? idx.holdOut() : ((Parquet) source).holdOut();
        return holdOut != null ? holdOut.seed() : data.longInteger("split_seed", 0);
    }

    private static boolean standardize(ConfigSection data) {
        return data.flag("standardize", false);
    }

    private static String labelColumn(ConfigSection data) {
        return data.text("label_column", "label");
    }

    private static Target readTarget(ConfigSection data) {
        Target.Task task = data.choice("task", Target.Task.class);
        return task == Target.Task.CLASSIFICATION ? Target.classification(data.integer("classes"))
                : Target.regression();
    }

    private static HoldOut readHoldOut(ConfigSection data) {
        return new HoldOut(data.number("test_fraction", 0.2), data.longInteger("split_seed", 0));
    }

    private static Location parquetPath(ConfigSection data) {
        Location path = data.location("path");
        if (!exists(data, "path", path)) {
            throw data.error("path", data.key("path") + " names " + path + ", which does not exist");
        }
        return path;
    }

    private static Location existingFile(ConfigSection data, String key) {
        Location path = data.location(key);
        try {
            if (!data.storage().isFile(path)) {
                throw data.error(key, data.key(key) + " names " + path
                        + (exists(data, key, path) ? ", which is not a file" : ", which does not exist"));
            }
        } catch (IOException e) {
            throw data.error(key, data.key(key) + " names " + path + ", which cannot be read: " + e.getMessage());
        }
        return path;
    }

    private static boolean exists(ConfigSection data, String key, Location path) {
        try {
            return data.storage().exists(path);
        } catch (IOException e) {
            throw data.error(key, data.key(key) + " names " + path + ", which cannot be read: " + e.getMessage());
        }
    }

    private static Location optionalFile(ConfigSection data, String key) {
        return data.optionalText(key) == null ? null : existingFile(data, key);
    }
}

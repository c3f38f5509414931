package org.neuroplastic.jobs.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.SparkSession;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every byte a job reads or writes for a user goes through here, on Hadoop's {@link FileSystem}: the same
 * code serves a laptop's disk, HDFS and object stores. The rule for paths without a scheme is Spark's:
 * they name the default file system ({@code fs.defaultFS}, set by {@code spark.hadoop.fs.defaultFS} or the
 * cluster's {@code core-site.xml}), which is the local disk on embedded Spark; {@link #locate} applies it
 * once at the edge, so no artifact of a run can land on another file system than its siblings.
 * <p>
 * The local disk is used through Hadoop's raw local file system: our own files (model files, the
 * effective configuration, the commit marker) get no {@code .crc} companions.
 * <p>
 * Longer than most classes here on purpose: it is the jobs' whole vocabulary of file operations, each a few
 * lines over Hadoop's, and one place to read what every file system is asked to do.
 */
public final class Storage {

    /** The longest configuration, marker or lock file read as text: 16 MiB. */
    public static final long TEXT_LIMIT_BYTES = 16L << 20;


    /**
     * Object stores, where a rename is a copy and a delete, neither atomic nor cheap: a folder renamed on
     * them can be seen half-copied. ABFS with a hierarchical namespace renames atomically, but nothing here
     * can tell which kind an account is, so it is counted with the stores.
     */
    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "wasb", "wasbs", "abfs", "abfss",
            "oss", "cos", "cosn", "obs");

    private final Configuration conf;

    private Storage(Configuration conf) {
        this.conf = conf;
    }

    /** The storage of a running Spark application: its Hadoop configuration. */
    public static Storage of(SparkSession spark) {
        return new Storage(spark.sparkContext().hadoopConfiguration());
    }

    /**
     * The storage a Spark application about to start will see: Hadoop's configuration files plus every
     * {@code spark.hadoop.*} property spark-submit or the user set, as Spark itself builds it. Jobs read
     * their configuration and check their inputs with it before starting Spark.
     */
    public static Storage beforeSpark() {
        return new Storage(SparkHadoopUtil.get().newConfiguration(new SparkConf()));
    }

    /** The storage of a given Hadoop configuration. */
    public static Storage of(Configuration conf) {
        return new Storage(conf);
    }

    /**
     * {@code text} (a path or URI a user typed) as a qualified location: with a scheme it is taken as it
     * is; without one it is on the default file system, relative to that file system's working folder
     * (the current directory on the local disk, {@code /user/<name>} on HDFS).
     *
     * @throws IllegalArgumentException when no path can hold {@code text}
     */
    public Location locate(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("an empty path");
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a path cannot hold a NUL character");
        }
        Path path = new Path(text);
        if (path.toUri().getScheme() != null && path.isAbsolute()) {
            // Fully named already: no client of that file system is needed until it is read or written.
            return Location.qualified(path.toUri(), text);
        }
        try {
            FileSystem fs = path.getFileSystem(conf);
            return Location.qualified(fs.makeQualified(path).toUri(), text);
        } catch (IOException e) {
            throw new IllegalArgumentException("no file system for " + text + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code text} relative to {@code folder} (a file named inside another file, such as a sweep's base
     * configuration); a path with a scheme or an absolute path is taken as {@link #locate} takes it.
     */
    public Location locate(Location folder, String text) {
        Location plain = locate(text);
        Path path = new Path(text);
        if (path.toUri().getScheme() != null || path.isAbsolute()) {
            return plain;
        }
        String shown = folder.toString().endsWith("/") ? folder + text : folder + "/" + text;
        return Location.qualified(new Path(folder.path(), path).toUri(), shown);
    }

    /** The Hadoop configuration the storage uses; executors get it through Spark. */
    public Configuration configuration() {
        return conf;
    }

    /** True unless {@code location} is on an object store, where renaming a folder copies it file by file. */
    public boolean renamesAtomically(Location location) {
        return !OBJECT_STORES.contains(location.scheme());
    }

    public boolean exists(Location location) throws IOException {
        return fileSystem(location).exists(location.path());
    }

    public boolean isFolder(Location location) throws IOException {
        FileStatus status = status(location);
        return status != null && status.isDirectory();
    }

    public boolean isFile(Location location) throws IOException {
        FileStatus status = status(location);
        return status != null && status.isFile();
    }

    /** The file's length in bytes. */
    public long size(Location location) throws IOException {
        return fileSystem(location).getFileStatus(location.path()).getLen();
    }

    /**
     * True when {@code location} itself is a symbolic link. Only the local disk has links that a job could
     * follow somewhere unintended; other file systems answer false.
     */
    public boolean isSymbolicLink(Location location) {
        return "file".equals(location.scheme()) && LocalDisk.isSymbolicLink(location.path().toUri());
    }

    /** Where the symbolic link {@code location} points, for messages. */
    public String linkTarget(Location location) {
        return LocalDisk.linkTarget(location.path().toUri());
    }

    /**
     * {@code location} with every symbolic link above it resolved, on the local disk, named by its absolute
     * path from then on; itself elsewhere.
     */
    public Location real(Location location) throws IOException {
        if (!"file".equals(location.scheme())) {
            return location;
        }
        String absolute = LocalDisk.real(location.path().toUri());
        Path real = FileSystem.getLocal(conf).makeQualified(new Path(absolute));
        return Location.qualified(real.toUri(), absolute);
    }

    /** The folder's children, sorted by name; none when the folder does not exist. */
    public List<Location> list(Location folder) throws IOException {
        FileSystem fs = fileSystem(folder);
        List<Location> children = new ArrayList<>();
        FileStatus[] statuses;
        try {
            statuses = fs.listStatus(folder.path());
        } catch (FileNotFoundException e) {
            return List.of();
        }
        for (FileStatus status : statuses) {
            children.add(folder.resolve(status.getPath().getName()));
        }
        children.sort(null);
        return children;
    }

    /** The children of {@code folder} that are folders, sorted by name. */
    public List<Location> listFolders(Location folder) throws IOException {
        List<Location> folders = new ArrayList<>();
        for (Location child : list(folder)) {
            if (isFolder(child)) {
                folders.add(child);
            }
        }
        return folders;
    }

    /**
     * Every file below {@code folder}, as paths relative to it ({@code a/b.parquet}) mapped to their sizes,
     * sorted; none when the folder does not exist.
     */
    public SortedMap<String, Long> filesBelow(Location folder) throws IOException {
        FileSystem fs = fileSystem(folder);
        SortedMap<String, Long> files = new TreeMap<>();
        if (!fs.exists(folder.path())) {
            return files;
        }
        String root = fs.getFileStatus(folder.path()).getPath().toUri().getPath();
        String prefix = root.endsWith("/") ? root : root + "/";
        RemoteIterator<LocatedFileStatus> all = fs.listFiles(folder.path(), true);
        while (all.hasNext()) {
            LocatedFileStatus file = all.next();
            String path = file.getPath().toUri().getPath();
            if (!path.startsWith(prefix)) {
                throw new IOException("listing " + folder + " returned " + path + ", which is not below it");
            }
            files.put(path.substring(prefix.length()), file.getLen());
        }
        return files;
    }

    /** The time the file was last written, in milliseconds since the epoch. */
    public long modifiedAt(Location file) throws IOException {
        return fileSystem(file).getFileStatus(file.path()).getModificationTime();
    }

    /** Creates the folder and every missing folder above it. */
    public void createFolder(Location folder) throws IOException {
        if (!fileSystem(folder).mkdirs(folder.path())) {
            throw new IOException("could not create the folder " + folder);
        }
    }

    /** Deletes {@code location} and everything below it; nothing when it does not exist. */
    public void delete(Location location) throws IOException {
        FileSystem fs = fileSystem(location);
        if (fs.exists(location.path()) && !fs.delete(location.path(), true)) {
            throw new IOException("could not delete " + location);
        }
    }

    /**
     * Renames {@code from} to {@code to}, which must not exist: atomic on the local disk and HDFS, a copy
     * on object stores (see {@link #renamesAtomically}).
     */
    public void rename(Location from, Location to) throws IOException {
        FileSystem fs = fileSystem(from);
        if (fs.exists(to.path())) {
            throw new IOException("cannot rename " + from + " to " + to + ": it exists");
        }
        Location parent = to.parent();
        if (parent != null) {
            fs.mkdirs(parent.path());
        }
        if (!fs.rename(from.path(), to.path())) {
            throw new IOException("could not rename " + from + " to " + to);
        }
    }

    public FSDataInputStream open(Location file) throws IOException {
        return fileSystem(file).open(file.path());
    }

    public byte[] readBytes(Location file) throws IOException {
        try (FSDataInputStream in = open(file)) {
            return in.readAllBytes();
        }
    }

    /**
     * At most {@code limit} bytes of {@code file}; a longer file is refused with an IOException naming it,
     * so that a path such as {@code /dev/zero} or {@code /proc/kcore}, which Hadoop's local file system
     * calls a file, cannot exhaust the heap.
     */
    public byte[] readBytes(Location file, long limit) throws IOException {
        try (FSDataInputStream in = open(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw new IOException(file + " is longer than " + limit + " bytes, more than a text file of this "
                        + "kind holds");
            }
            return bytes;
        }
    }

    /** A small text file (configuration, marker, lock) as UTF-8, at most {@link #TEXT_LIMIT_BYTES}. */
    public String readText(Location file) throws IOException {
        return new String(readBytes(file, TEXT_LIMIT_BYTES), StandardCharsets.UTF_8);
    }

    /** A new file (replacing one of that name), visible under its name once the stream is closed. */
    public OutputStream create(Location file) throws IOException {
        return fileSystem(file).create(file.path(), true);
    }

    /**
     * Writes {@code bytes} so that a file of that name is always complete: under a temporary name renamed
     * into place where renames are atomic; directly on object stores, which show an object only once its
     * upload has completed.
     */
    public void writeCompletely(Location file, byte[] bytes) throws IOException {
        writeCompletely(file, out -> out.write(bytes));
    }

    /** As {@link #writeCompletely(Location, byte[])}, with the bytes produced by {@code content}. */
    public void writeCompletely(Location file, Content content) throws IOException {
        FileSystem fs = fileSystem(file);
        if (!renamesAtomically(file)) {
            try (OutputStream out = fs.create(file.path(), true)) {
                content.writeTo(out);
            }
            return;
        }
        Location partial = file.parent().resolve(file.name() + ".partial");
        try (OutputStream out = fs.create(partial.path(), true)) {
            content.writeTo(out);
        } catch (IOException | RuntimeException e) {
            fs.delete(partial.path(), false);
            throw e;
        }
        // Hadoop's rename never replaces a file: the old one goes first. A reader between the two steps
        // finds no file, never a partial one.
        if (fs.exists(file.path()) && !fs.delete(file.path(), false)) {
            throw new IOException("could not replace " + file);
        }
        if (!fs.rename(partial.path(), file.path())) {
            throw new IOException("could not rename " + partial + " to " + file);
        }
    }

    public void writeText(Location file, String text) throws IOException {
        writeCompletely(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a file's bytes. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private FileStatus status(Location location) throws IOException {
        try {
            return fileSystem(location).getFileStatus(location.path());
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    private FileSystem fileSystem(Location location) throws IOException {
        if ("file".equals(location.scheme())) {
            return FileSystem.getLocal(conf).getRaw();
        }
        try {
            return location.path().getFileSystem(conf);
        } catch (RuntimeException e) {
            // Hadoop reports a file system named in its configuration but absent from the classpath (S3A
            // without hadoop-aws) as a RuntimeException around ClassNotFoundException.
            if (e.getCause() instanceof ClassNotFoundException missing) {
                throw new IOException("no client for " + location.scheme() + ":// on the classpath (" + missing.getMessage()
                        + "); add the file system's jars, e.g. hadoop-aws for s3a", e);
            }
            throw e;
        }
    }
}

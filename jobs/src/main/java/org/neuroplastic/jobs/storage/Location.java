package org.neuroplastic.jobs.storage;

import org.apache.hadoop.fs.Path;

import java.io.Serializable;
import java.net.URI;
import java.util.Objects;

/**
 * A file or folder on any Hadoop file system ({@code file:}, {@code hdfs://}, {@code s3a://}, ...), always
 * fully qualified: a scheme-less path typed by a user was resolved against the default file system
 * ({@code fs.defaultFS}) once, by {@link Storage#locate}, so every artifact of a run names the same file
 * system whichever JVM reads it later. It also keeps the text the user typed, extended by each
 * {@link #resolve}, so that messages name files as the user knows them.
 */
public final class Location implements Serializable, Comparable<Location> {

    private static final long serialVersionUID = 1L;

    private final String uri;
    private final String shown;

    private Location(String uri, String shown) {
        this.uri = uri;
        this.shown = shown;
    }

    /** A location whose {@code uri} is already qualified (it has a scheme). */
    static Location qualified(URI uri, String shown) {
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException("not a qualified location: " + uri);
        }
        // One spelling per location: file:///a and file:/a name the same file, and locations are compared.
        String authority = uri.getAuthority() == null || uri.getAuthority().isEmpty() ? null : uri.getAuthority();
        return new Location(new Path(uri.getScheme(), authority, uri.getPath()).toUri().toString(), shown);
    }

    /** The child {@code name} of this folder; {@code name} is one plain path segment. */
    public Location resolve(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not one path segment: '" + name + "'");
        }
        String shownSeparator = shown.endsWith("/") ? "" : "/";
        return new Location(new Path(path(), new Path(null, null, name)).toUri().toString(), shown + shownSeparator + name);
    }

    /** The file or folder {@code relative} ({@code a/b/c}, plain segments) below this folder. */
    public Location below(String relative) {
        Location location = this;
        for (String segment : relative.split("/")) {
            location = location.resolve(segment);
        }
        return location;
    }

    /** The folder holding this location, or null at a file system's root. */
    public Location parent() {
        Path parent = path().getParent();
        if (parent == null) {
            return null;
        }
        int cut = shown.replaceAll("/+$", "").lastIndexOf('/');
        String shownParent = cut > 0 ? shown.substring(0, cut) : cut == 0 ? "/" : parent.toString();
        return new Location(parent.toUri().toString(), shownParent);
    }

    /** The last segment of the location: a file or folder name. */
    public String name() {
        return path().getName();
    }

    /** The location as Hadoop's {@link Path}, qualified. */
    public Path path() {
        return new Path(URI.create(uri));
    }

    /** The qualified URI, as Spark's readers and writers take it. */
    public String uri() {
        return uri;
    }

    /** The URI's scheme: {@code file}, {@code hdfs}, {@code s3a}, ... */
    public String scheme() {
        return URI.create(uri).getScheme();
    }

    /** As the user typed it, extended by the children resolved since; for messages. */
    @Override
    public String toString() {
        return shown;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Location that && uri.equals(that.uri);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri);
    }

    @Override
    public int compareTo(Location other) {
        return uri.compareTo(other.uri);
    }
}

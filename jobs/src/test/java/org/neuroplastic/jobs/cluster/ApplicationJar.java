package org.neuroplastic.jobs.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Packs one compiled application class, with its nested classes, into a jar that spark-submit accepts. */
final class ApplicationJar {

    private ApplicationJar() {
    }

    /** Writes {@code <simple name>.jar} into {@code directory} and returns it. */
    static Path of(Class<?> mainClass, Path directory) throws IOException {
        Path classes = codeSource(mainClass);
        String packagePath = mainClass.getPackageName().replace('.', '/');
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
        Path jar = directory.resolve(mainClass.getSimpleName() + ".jar");
        String pattern = "{" + mainClass.getSimpleName() + ".class," + mainClass.getSimpleName() + "$*.class}";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             DirectoryStream<Path> classFiles = Files.newDirectoryStream(classes.resolve(packagePath), pattern)) {
            for (Path classFile : classFiles) {
                out.putNextEntry(new JarEntry(packagePath + "/" + classFile.getFileName()));
                Files.copy(classFile, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The jar, or the folder of class files, that {@code type} was loaded from. */
    static Path codeSource(Class<?> type) throws IOException {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the classes of " + type.getName(), e);
        }
    }
}

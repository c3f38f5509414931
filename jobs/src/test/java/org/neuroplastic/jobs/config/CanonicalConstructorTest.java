package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalConstructorTest {

    /**
     * A second constructor fills some components in with defaults, and a copy made through it drops whatever
     * those components held without a word: issue 18 found sweeps training without augmentation that way.
     * Copies go through {@code with...} methods, which call the canonical constructor.
     */
    @Test
    void everyConfigurationRecordHasOnlyItsCanonicalConstructor() throws Exception {
        List<Class<?>> records = configurationRecords();

        assertThat(records).contains(TrainConfig.class, TrainingSettings.class, ConsolidationSettings.class,
                AugmentationSettings.class, NetworkConfig.class, GenerateConfig.class, DataSource.Idx.class);
        assertThat(records).allSatisfy(record -> assertThat(record.getDeclaredConstructors())
                .as(record.getName() + "'s constructors").hasSize(1));
    }

    /** The records of this package, nested ones included, read from the folder its classes were loaded from. */
    private static List<Class<?>> configurationRecords() throws Exception {
        Path folder = Path.of(TrainConfig.class.getResource("TrainConfig.class").toURI()).getParent();
        List<Class<?>> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".class")).toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.class$", "");
                Class<?> type = Class.forName(TrainConfig.class.getPackageName() + "." + name, false,
                        CanonicalConstructorTest.class.getClassLoader());
                if (type.isRecord()) {
                    records.add(type);
                }
            }
        }
        records.sort(Comparator.comparing(Class::getName));
        return records;
    }
}

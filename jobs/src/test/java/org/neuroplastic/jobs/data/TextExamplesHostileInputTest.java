package org.neuroplastic.jobs.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.cli.CommandRun;
import org.neuroplastic.jobs.cli.FolderSnapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Broken CSV and LibSVM files given to {@code train} (CsvExamples, LibSvmExamples): each is answered with
 * exit code 2, one line naming the file and line and what was expected, and no output.
 */
class TextExamplesHostileInputTest {

    @TempDir
    Path dir;

    private void assertRejected(String dataSection, String... expected) throws IOException {
        Path config = Files.writeString(dir.resolve("t.yaml"), """
                data: %s
                network: {hidden: [{size: 4}]}
                training: {epochs: 1}
                """.formatted(dataSection));
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("train", "--config", config, "--out", dir.resolve("out"), "--master", "local[2]")
                .assertRejected(before, expected);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void csvRowWithMoreFieldsThanTheHeader() throws IOException {
        Path csv = write("d.csv", "a,b,label\n1,2,0\n3,4,5,1\n");
        assertRejected("{format: csv, path: " + csv + ", task: classification, classes: 2}",
                csv + ":3: expected 3 fields as in the header, found 4");
    }

    @Test
    void csvRowWithFewerFieldsThanTheHeader() throws IOException {
        Path csv = write("d.csv", "a,b,label\n1,2,0\n3,1\n");
        assertRejected("{format: csv, path: " + csv + ", task: classification, classes: 2}",
                csv + ":3: expected 3 fields as in the header, found 2");
    }

    @Test
    void csvTextInANumericColumn() throws IOException {
        Path csv = write("d.csv", "a,b,label\n1,2,0\n3,four,1\n");
        assertRejected("{format: csv, path: " + csv + ", task: classification, classes: 2}",
                csv + ":3: column 'b' must be a number, found 'four'");
    }

    @Test
    void csvLabelOutsideTheClassRange() throws IOException {
        Path csv = write("d.csv", "a,b,label\n1,2,0\n3,4,3\n");
        assertRejected("{format: csv, path: " + csv + ", task: classification, classes: 3}",
                csv + ":3: the label must be a class index in [0, 3), found 3");
    }

    @Test
    void csvNegativeOrFractionalClassLabel() throws IOException {
        Path csv = write("d.csv", "a,b,label\n1,2,-1\n");
        assertRejected("{format: csv, path: " + csv + ", task: classification, classes: 3}",
                csv + ":2: the label must be a class index in [0, 3), found -1");
        write("d.csv", "a,b,label\n1,2,1.5\n");
        assertRejected("{format: csv, path: " + csv + ", task: classification, classes: 3}",
                csv + ":2: the label must be a class index in [0, 3), found 1.5");
    }

    @Test
    void csvInfiniteLabelInRegression() throws IOException {
        Path csv = write("d.csv", "a,b,label\n1,2,0.5\n3,4,Infinity\n");
        assertRejected("{format: csv, path: " + csv + ", task: regression}",
                csv + ":3: the label is Infinity, expected a finite number");
    }

    @Test
    void csvTestFileWithoutRows() throws IOException {
        Path train = write("train.csv", "a,b,label\n1,2,0.5\n3,4,1.5\n");
        Path test = write("test.csv", "a,b,label\n");
        assertRejected("{format: csv, path: " + train + ", test_path: " + test + ", task: regression}",
                test + ": the test file is empty; it must hold at least one row");
    }

    @Test
    void csvThatIsNotText() throws IOException {
        Path csv = Files.write(dir.resolve("d.csv"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 'I', 'H'});
        assertRejected("{format: csv, path: " + csv + ", task: regression}", csv + ": not UTF-8 text (a binary file?)");
    }

    @Test
    void libSvmLabelOutsideTheClassRange() throws IOException {
        Path file = write("d.svm", "0 1:0.5 2:1\n4 1:0.25\n");
        assertRejected("{format: libsvm, path: " + file + ", task: classification, classes: 3}",
                file + ":2: the label must be a class index in [0, 3), found 4");
    }

    @Test
    void libSvmFeatureIndexThatIsNotOneBased() throws IOException {
        Path file = write("d.svm", "1.5 1:0.5 2:1\n2.5 0:0.25\n");
        assertRejected("{format: libsvm, path: " + file + ", task: regression}",
                file + ":2: feature indices are 1-based, found 0");
    }

    @Test
    void libSvmNanFeature() throws IOException {
        Path file = write("d.svm", "1.5 1:0.5 2:1\n2.5 1:NaN\n");
        assertRejected("{format: libsvm, path: " + file + ", task: regression}",
                file + ":2: feature 1 must be a finite number, found NaN");
    }

    @Test
    void libSvmHugeFeatureIndex() throws IOException {
        Path file = write("d.svm", "1.5 1:0.5 2147483647:1\n");
        assertRejected("{format: libsvm, path: " + file + ", task: regression}",
                file + ":1: feature index 2147483647 is beyond the 100000 features a row may have");
    }
}

package org.neuroplastic.jobs.cluster;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link MiniHdfs}: a real namenode and two datanodes on 127.0.0.1 that Hadoop's FileSystem client uses. */
@Tag("cluster")
class MiniHdfsTest {

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aFileWrittenThroughHadoopsFileSystemIsListedAndReadBackAndCloseStopsTheNamenode() throws Exception {
        byte[] content = "written through Hadoop's FileSystem\n".getBytes(StandardCharsets.UTF_8);
        int namenodePort;
        try (MiniHdfs hdfs = MiniHdfs.start()) {
            assertThat(hdfs.uri().toString()).matches("hdfs://127\\.0\\.0\\.1:\\d+");
            assertThat(hdfs.liveDatanodes()).isEqualTo(2);
            namenodePort = hdfs.uri().getPort();

            Path file = new Path(hdfs.uri().resolve("/smoke/greeting.txt"));
            try (FSDataOutputStream out = hdfs.fileSystem().create(file, false)) {
                out.write(content);
            }
            FileStatus[] listed = hdfs.fileSystem().listStatus(file.getParent());
            assertThat(listed).extracting(status -> status.getPath().getName()).containsExactly("greeting.txt");
            assertThat(listed[0].getLen()).isEqualTo(content.length);

            // A client built from configuration() alone finds the file by a path without scheme: fs.defaultFS.
            try (FileSystem client = FileSystem.newInstance(hdfs.configuration());
                 FSDataInputStream in = client.open(new Path("/smoke/greeting.txt"))) {
                assertThat(client.getUri()).isEqualTo(hdfs.uri());
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", namenodePort).close())
                .as("a connection to the stopped namenode's port").isInstanceOf(ConnectException.class);
    }
}

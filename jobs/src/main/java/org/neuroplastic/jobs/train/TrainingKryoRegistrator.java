package org.neuroplastic.jobs.train;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.kryo.Nd4jRegistrator;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * ND4J's Kryo registrations plus the one DL4J's stock master also needs: its broadcast
 * ({@code NetBroadcastTuple}) holds an {@link AtomicInteger}, which Kryo's field serializer cannot
 * open on Java 17 without {@code --add-opens java.base/java.util.concurrent.atomic}. Java records (the
 * loader's file ranges, scans and examples travel as RDD elements and task results) go through Java
 * serialization: Spark's Kryo 4 cannot build a field serializer for a record.
 */
public final class TrainingKryoRegistrator implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        new Nd4jRegistrator().registerClasses(kryo);
        kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
        kryo.register(AtomicInteger.class, new Serializer<AtomicInteger>() {
            @Override
            public void write(Kryo k, Output output, AtomicInteger value) {
                output.writeInt(value.get());
            }

            @Override
            public AtomicInteger read(Kryo k, Input input, Class<AtomicInteger> type) {
                return new AtomicInteger(input.readInt());
            }
        });
    }
}

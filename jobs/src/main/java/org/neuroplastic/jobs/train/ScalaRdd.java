package org.neuroplastic.jobs.train;

import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The RDD operations of an averaging round, through Spark's Scala API with every function a named class.
 * Spark's closure cleaner inspects each function an RDD operation receives, and for a lambda it reads and
 * parses the class file of the class that declared it. Spark's Java API wraps every function in a lambda
 * of its own, declared in {@code JavaRDDLike} (and {@code SparkContext.runJob} in one of {@code
 * SparkContext}'s), so each operation made the driver re-read one of those large class files: about 1.3 ms
 * an operation, 4 to 6 operations a round, in a profile of {@code bin/benchmark averaging}, a cost no cluster
 * parallelises. The cleaner leaves a function that is not a lambda or an anonymous class untouched; these are
 * serializable and hold no reference to their caller.
 */
final class ScalaRdd {

    private ScalaRdd() {
    }

    /** {@code JavaRDD.mapPartitionsWithIndex(f, true)}: the partitioning of {@code rdd} is kept. */
    static <T, U> JavaRDD<U> mapPartitionsWithIndex(JavaRDD<T> rdd, Function2<Integer, Iterator<T>, Iterator<U>> f) {
        return new JavaRDD<>(rdd.rdd().mapPartitionsWithIndex(new PartitionFunction<>(f), true, anyRef()), anyRef());
    }

    /** {@code JavaRDD.filter(keep)}. */
    static <T> JavaRDD<T> filter(JavaRDD<T> rdd, Function<T, Boolean> keep) {
        @SuppressWarnings("unchecked")
        scala.Function1<T, Object> predicate =
                (scala.Function1<T, Object>) (scala.Function1<T, ?>) new ElementFunction<>(keep);
        return new JavaRDD<>(rdd.rdd().filter(predicate), rdd.classTag());
    }

    /** {@code JavaRDD.map(f)}. */
    static <T, U> JavaRDD<U> map(JavaRDD<T> rdd, Function<T, U> f) {
        return new JavaRDD<>(rdd.rdd().map(new ElementFunction<>(f), anyRef()), anyRef());
    }

    /** {@code JavaRDD.collectPartitions(partitions)}: the elements of each partition, in the order asked. */
    static <T> List<List<T>> collectPartitions(JavaRDD<T> rdd, int[] partitions) {
        List<Object> indices = new ArrayList<>(partitions.length);
        for (int partition : partitions) {
            indices.add(partition);
        }
        List<List<T>> results = new ArrayList<>(Arrays.asList(newArray(partitions.length)));
        SparkContext sc = rdd.context();
        sc.runJob(rdd.rdd(), new PartitionElements<T>(), JavaConverters.asScalaBufferConverter(indices).asScala(),
                new ResultSlot<>(results), anyRef());
        return results;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T>[] newArray(int length) {
        return (List<T>[]) new List<?>[length];
    }

    @SuppressWarnings("unchecked")
    private static <T> ClassTag<T> anyRef() {
        return (ClassTag<T>) ClassTag$.MODULE$.AnyRef();
    }

    /** Rethrows a Java function's checked exception as it is, as Spark's Java API does through Scala. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException rethrow(Exception e) throws E {
        throw (E) e;
    }

    private static final class PartitionFunction<T, U>
            extends AbstractFunction2<Object, scala.collection.Iterator<T>, scala.collection.Iterator<U>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Function2<Integer, Iterator<T>, Iterator<U>> f;

        PartitionFunction(Function2<Integer, Iterator<T>, Iterator<U>> f) {
            this.f = f;
        }

        @Override
        public scala.collection.Iterator<U> apply(Object partition, scala.collection.Iterator<T> elements) {
            try {
                return JavaConverters.asScalaIteratorConverter(
                        f.call((Integer) partition, JavaConverters.asJavaIteratorConverter(elements).asJava())).asScala();
            } catch (Exception e) {
                throw ScalaRdd.<RuntimeException>rethrow(e);
            }
        }
    }

    private static final class ElementFunction<T, U> extends AbstractFunction1<T, U> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Function<T, U> f;

        ElementFunction(Function<T, U> f) {
            this.f = f;
        }

        @Override
        public U apply(T element) {
            try {
                return f.call(element);
            } catch (Exception e) {
                throw ScalaRdd.<RuntimeException>rethrow(e);
            }
        }
    }

    private static final class PartitionElements<T>
            extends AbstractFunction2<TaskContext, scala.collection.Iterator<T>, List<T>> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public List<T> apply(TaskContext context, scala.collection.Iterator<T> elements) {
            List<T> list = new ArrayList<>();
            while (elements.hasNext()) {
                list.add(elements.next());
            }
            return list;
        }
    }

    /** Runs on the driver, so it need not be serializable; Spark's signature asks for it all the same. */
    private static final class ResultSlot<T> extends AbstractFunction2<Object, List<T>, BoxedUnit>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final transient List<List<T>> results;

        ResultSlot(List<List<T>> results) {
            this.results = results;
        }

        @Override
        public BoxedUnit apply(Object index, List<T> partition) {
            results.set((Integer) index, partition);
            return BoxedUnit.UNIT;
        }
    }
}

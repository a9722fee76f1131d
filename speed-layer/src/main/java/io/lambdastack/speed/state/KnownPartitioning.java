package io.lambdastack.speed.state;

import org.apache.spark.Partition;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import scala.Option;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Declares the partitioner of pairs that are already placed by it, so the next stateful operator on the same
 * partitioner does not shuffle them again. Spark forgets the partitioner of {@code mapWithState}'s mapped
 * values (a flatMap of its state RDD), although a state function that returns its own key leaves every pair in
 * the partition of its key. One shuffle less per micro-batch.
 */
final class KnownPartitioning<T extends Tuple2<?, ?>> extends RDD<T> {
  private static final long serialVersionUID = 1L;
  private final Partitioner partitioner;
  private final ClassTag<T> tag;

  private KnownPartitioning(RDD<T> parent, Partitioner partitioner, ClassTag<T> tag) {
    super(parent, tag);
    this.partitioner = partitioner;
    this.tag = tag;
  }

  /** @param pairs pairs each in the partition {@code partitioner} gives its key (checked as they are read) */
  @SuppressWarnings("unchecked")
  static <K, V> JavaPairRDD<K, V> of(JavaRDD<Tuple2<K, V>> pairs, Partitioner partitioner) {
    ClassTag<Tuple2<K, V>> tag = (ClassTag<Tuple2<K, V>>) (ClassTag<?>) ClassTag$.MODULE$.AnyRef();
    ClassTag<K> k = (ClassTag<K>) (ClassTag<?>) ClassTag$.MODULE$.AnyRef();
    ClassTag<V> v = (ClassTag<V>) (ClassTag<?>) ClassTag$.MODULE$.AnyRef();
    return new JavaPairRDD<>(new KnownPartitioning<>(pairs.rdd(), partitioner, tag), k, v);
  }

  @Override
  public Iterator<T> compute(Partition split, TaskContext context) {
    java.util.Iterator<T> pairs = scala.collection.JavaConverters.asJavaIteratorConverter(firstParent(tag).iterator(split, context)).asJava();
    java.util.Iterator<T> checked = new java.util.Iterator<>() {
      @Override
      public boolean hasNext() {
        return pairs.hasNext();
      }

      @Override
      public T next() {
        T pair = pairs.next();
        if (partitioner.getPartition(pair._1()) != split.index()) { // a state function that changed keys: fail, never misplace
          throw new IllegalStateException("key " + pair._1() + " is in partition " + split.index() + ", not "
              + partitioner.getPartition(pair._1()) + ": the upstream function must return its own key");
        }
        return pair;
      }
    };
    return scala.collection.JavaConverters.asScalaIteratorConverter(checked).asScala();
  }

  @Override
  public Partition[] getPartitions() {
    return firstParent(tag).partitions();
  }

  /** Spark's own RDD messages ("Removing RDD n from persistence list") under Spark's logger, not ours. */
  @Override
  public String logName() {
    return RDD.class.getName();
  }

  @Override
  public Option<Partitioner> partitioner() {
    return Option.apply(partitioner);
  }
}

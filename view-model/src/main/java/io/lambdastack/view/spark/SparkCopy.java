package io.lambdastack.view.spark;

import java.nio.ByteBuffer;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * A value after a trip through Spark's Java serializer: what a task gets of the closures it runs (and, with the
 * platform's default serializer, what a shuffle or a cache gives back of its records). Why: a copy can differ from the
 * original in what it costs (Java serialization makes new Strings, which are not interned), and tests and the speed
 * benchmark's one-thread floor mean to see what a task sees.
 */
public final class SparkCopy {
  private SparkCopy() {}

  @SuppressWarnings("unchecked")
  public static <T> T of(T value) {
    SerializerInstance java = new JavaSerializer(new SparkConf(false)).newInstance();
    ClassTag<T> tag = (ClassTag<T>) ClassTag$.MODULE$.apply(value.getClass());
    ByteBuffer bytes = java.serialize(value, tag);
    return java.deserialize(bytes, tag);
  }
}

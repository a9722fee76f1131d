package io.lambdastack.speed.testing;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** The local Spark the speed layer's unit tests run RDD code on: two threads, as the benchmark's local[2], no UI. */
public final class LocalSpark {
  private LocalSpark() {}

  public static JavaSparkContext start(String app) {
    return new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName(app).set("spark.ui.enabled", "false"));
  }
}

package io.minispod.benchmarks;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one benchmark by name: {@code java -jar examples/benchmarks/target/minispod-benchmarks.jar
 * NAME [options]}. Each benchmark starts its own PostgreSQL (embedded, or {@code MINISPOD_DB_URL})
 * and prints its figures as a table.
 */
public final class Benchmarks {

  /** A benchmark's entry point. */
  @FunctionalInterface
  interface Benchmark {
    void run(String[] args) throws Exception;
  }

  private static final Map<String, Benchmark> BENCHMARKS = new TreeMap<>();

  static {
    BENCHMARKS.put("quota", QuotaBenchmark::main);
    BENCHMARKS.put("catalog", CatalogBenchmark::main);
    BENCHMARKS.put("k8s", K8sProvisionerBenchmark::main);
    BENCHMARKS.put("subscriptions", SubscriptionBenchmark::main);
    BENCHMARKS.put("renewals", RenewalBenchmark::main);
  }

  private Benchmarks() {}

  /**
   * Runs the benchmark named by the first argument with the remaining arguments.
   *
   * @param args the benchmark's name, then its options
   * @throws Exception whatever the benchmark throws
   */
  public static void main(String[] args) throws Exception {
    Benchmark benchmark = args.length == 0 ? null : BENCHMARKS.get(args[0]);
    if (benchmark == null) {
      System.err.println(
          "usage: java -jar minispod-benchmarks.jar " + BENCHMARKS.keySet() + " [options]");
      System.exit(2);
    }
    benchmark.run(Arrays.copyOfRange(args, 1, args.length));
  }
}

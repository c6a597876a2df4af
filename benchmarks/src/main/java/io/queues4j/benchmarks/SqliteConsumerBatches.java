package io.queues4j.benchmarks;

import io.queues4j.sqlite.SqliteStore;
import java.util.Locale;

/**
 * A plain loop of {@code sendBatch(100)} through the engine on SQLite whose consumer takes
 * batches of a given size (1, 10, ...), where {@link SqliteEndToEndBatchBenchmark} takes 100: each
 * consumer batch is a settlement of its own, so this is the figure for stores whose rows hold
 * more messages than a settlement settles. Prints each round's end-to-end rate. Not a benchmark
 * of record: compare alternating runs of two builds.
 *
 * <pre>{@code
 * java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar \
 *     io.queues4j.benchmarks.SqliteConsumerBatches 10 200000 3 FULL
 * }</pre>
 *
 * <p>Arguments: the consumer's {@code maxBatchSize}, messages per round, rounds, durability.
 */
public final class SqliteConsumerBatches {
  private SqliteConsumerBatches() {}

  /**
   * Runs the loop.
   *
   * @param args consumer batch size, messages per round, rounds, durability
   */
  public static void main(String[] args) {
    int consumerBatch = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    SqliteStore.Durability durability =
        SqliteStore.Durability.valueOf(args.length > 3 ? args[3] : "FULL");
    try (SqlitePipelines.Windowed p = SqlitePipelines.create("engine", durability, consumerBatch)) {
      SqlitePipelines.warmUp(p, Fixtures.WARM_UP);
      for (int round = 0; round < rounds; round++) {
        long start = System.nanoTime();
        SqlitePipelines.warmUp(p, messages); // sends them and waits until all are handled
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "consumer batches of %d, %s, round %d: %.0f msg/s%n",
            consumerBatch, durability, round, messages / seconds);
      }
    }
  }
}

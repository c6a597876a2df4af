package io.queues4j.benchmarks;

import io.queues4j.sqlite.SqliteStore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Durable end to end, send to handler to ack, on SQLite: producers call {@code sendBatch} with 100
 * bodies and wait for each send; the consumer takes batches of up to 100 with {@code
 * maxBatchTimeout} 0. One producer thread, and four (whose sends share commits). The baseline is
 * the floor of {@link SqlitePipelines}: raw JDBC on the same durability, a transaction to insert
 * each batch of 100, one to claim up to 100, one to delete them. The ceiling ({@link
 * SqliteCeiling}) is what the store's layout allows at most: one transaction per batch that
 * inserts it, claims the next and deletes the last.
 *
 * <pre>{@code
 * java -Djmh.ignoreLock=true -jar benchmarks/target/benchmarks.jar SqliteEndToEndBatchBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SqliteEndToEndBatchBenchmark {
  static final int BATCH = 100;

  @Param({"engine", "baseline", "ceiling"})
  String impl = "engine";

  @Param({"FULL", "NORMAL"})
  String durability = "FULL";

  SqlitePipelines.@Nullable Windowed pipeline;

  /** Starts the pipeline on a new database and warms it with 20,000 messages. */
  @Setup(Level.Trial)
  public void setUp() {
    SqlitePipelines.Windowed p =
        SqlitePipelines.create(impl, SqliteStore.Durability.valueOf(durability), BATCH);
    SqlitePipelines.warmUp(p, Integer.getInteger(Fixtures.WARM_UP_PROPERTY, 20_000));
    pipeline = p;
  }

  /** Stops the pipeline and deletes its database. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pipeline().close();
  }

  /**
   * One producer sends one batch of 100.
   *
   * @param producer the thread's state
   * @param delivered the end-to-end counter
   * @return the send result, for the blackhole
   */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(BATCH)
  public Object sendBatch100(Producer producer, Delivered delivered) {
    return send(producer);
  }

  /**
   * Each of four producers sends one batch of 100.
   *
   * @param producer the thread's state
   * @param delivered the end-to-end counter
   * @return the send result, for the blackhole
   */
  @Benchmark
  @Threads(4)
  @OperationsPerInvocation(BATCH)
  public Object sendBatch100_4producers(Producer producer, Delivered delivered) {
    return send(producer);
  }

  private Object send(Producer producer) {
    SqlitePipelines.Windowed p = pipeline();
    p.acquire(BATCH);
    return p.sendBatch(producer.nextBatch(BATCH));
  }

  SqlitePipelines.Windowed pipeline() {
    SqlitePipelines.Windowed p = pipeline;
    if (p == null) {
      throw new IllegalStateException("not set up");
    }
    return p;
  }

  /**
   * Messages the consumer finished during the iteration, per second. Each producer thread has one
   * of these and JMH adds them up, so each counts its share: the total over the threads.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Delivered {
    /** Messages handled during the iteration; JMH divides by the iteration time. */
    public long delivered;

    private long start;

    /**
     * Marks the start of the iteration.
     *
     * @param benchmark the benchmark
     */
    @Setup(Level.Iteration)
    public void start(SqliteEndToEndBatchBenchmark benchmark) {
      start = benchmark.pipeline().handled.get();
    }

    /**
     * Counts this thread's share of what the consumer finished since the start.
     *
     * @param benchmark the benchmark
     * @param thread the thread's parameters (how many producer threads there are)
     */
    @TearDown(Level.Iteration)
    public void stop(SqliteEndToEndBatchBenchmark benchmark, ThreadParams thread) {
      delivered = (benchmark.pipeline().handled.get() - start) / thread.getThreadCount();
    }
  }
}

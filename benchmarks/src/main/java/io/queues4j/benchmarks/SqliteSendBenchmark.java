package io.queues4j.benchmarks;

import io.queues4j.sqlite.SqliteStore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Group commit: 64 threads each call {@code send()} and wait for it, on SQLite; the consumer
 * takes batches of up to 100. The baseline is the naive durable send: raw JDBC, one transaction
 * (one fsync with FULL) per message, under the connection's lock; the consumer as in {@link
 * SqliteEndToEndBatchBenchmark}'s floor.
 *
 * <pre>{@code
 * java -Djmh.ignoreLock=true -jar benchmarks/target/benchmarks.jar SqliteSendBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SqliteSendBenchmark {
  @Param({"engine", "baseline"})
  String impl = "engine";

  @Param({"FULL", "NORMAL"})
  String durability = "FULL";

  SqlitePipelines.@Nullable Windowed pipeline;

  /** Starts the pipeline on a new database and warms it with 20,000 messages. */
  @Setup(Level.Trial)
  public void setUp() {
    SqlitePipelines.Windowed p =
        SqlitePipelines.create(impl, SqliteStore.Durability.valueOf(durability), 100);
    SqlitePipelines.warmUp(p, Integer.getInteger(Fixtures.WARM_UP_PROPERTY, 20_000));
    pipeline = p;
  }

  /** Stops the pipeline and deletes its database. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pipeline().close();
  }

  /**
   * Sends one message and waits until it is committed.
   *
   * @param producer the thread's state
   * @return the send result, for the blackhole
   */
  @Benchmark
  @Threads(64)
  public Object send_64threads(Producer producer) {
    SqlitePipelines.Windowed p = pipeline();
    p.acquire(1);
    return p.send(producer.next());
  }

  SqlitePipelines.Windowed pipeline() {
    SqlitePipelines.Windowed p = pipeline;
    if (p == null) {
      throw new IllegalStateException("not set up");
    }
    return p;
  }
}

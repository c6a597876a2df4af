package io.queues4j.benchmarks;

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
 * FIFO queues end to end: single sends of a ~100-byte JSON body to a standard queue, to a FIFO
 * queue whose sends all go to one group, and to a FIFO queue spreading them over 1,000 groups, each
 * consumed with {@code maxBatchSize} 10 and {@code maxConcurrency} 4, producers staying within
 * {@link Fixtures#WINDOW} messages of the consumer. One group is bounded by one-batch-at-a-time
 * handling; 1,000 groups should come close to the standard queue (target: at least 0.5 times it).
 * Every FIFO send also pays for deduplication (a SHA-256 of the body and a cache lookup);
 * {@code fifo-1000-ids} gives each send its own deduplication id instead, so the hash is skipped:
 * its difference to {@code fifo-1000} is the hash's cost.
 *
 * <pre>{@code
 * java -Djmh.ignoreLock=true -jar benchmarks/target/benchmarks.jar FifoBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class FifoBenchmark {
  @Param({"standard", "fifo-1", "fifo-1000", "fifo-1000-ids"})
  String impl = "standard";

  private @Nullable Pipeline pipeline;

  /** Starts the pipeline and warms it. */
  @Setup(Level.Trial)
  public void setUp() {
    Pipeline p = Pipeline.create(impl, 10);
    p.warmUp(Fixtures.WARM_UP);
    pipeline = p;
  }

  /** Stops the pipeline. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pipeline().close();
  }

  /**
   * Sends one message.
   *
   * @param producer the thread's state
   * @return the send result, for the blackhole
   */
  @Benchmark
  public Object send(Producer producer) {
    Pipeline p = pipeline();
    producer.acquire(p, 1);
    return p.send(producer.next());
  }

  private Pipeline pipeline() {
    Pipeline p = pipeline;
    if (p == null) {
      throw new IllegalStateException("not set up");
    }
    return p;
  }
}

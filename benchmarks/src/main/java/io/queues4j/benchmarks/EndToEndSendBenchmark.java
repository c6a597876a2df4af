package io.queues4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * End to end, send to handler to ack, one message per call: one producer calls {@code send}, the
 * consumer takes batches of up to 10 with {@code maxBatchTimeout} 0. The primary score is messages
 * sent per second; the secondary {@code delivered} counts messages the handler finished. The
 * baseline hands each encoded body through the {@code ArrayBlockingQueue} on its own and its
 * consumer drains up to 10 at a time.
 *
 * <pre>{@code
 * java -Djmh.ignoreLock=true -jar benchmarks/target/benchmarks.jar EndToEndSendBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class EndToEndSendBenchmark {
  static final int MAX_BATCH_SIZE = 10;

  @Param({"engine", "baseline"})
  String impl = "engine";

  @Nullable Pipeline pipeline;

  /** Starts the pipeline and warms both of its sides. */
  @Setup(Level.Trial)
  public void setUp() {
    Pipeline p = Pipeline.create(impl, MAX_BATCH_SIZE);
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
   * @param delivered the end-to-end counter
   * @return the send result, for the blackhole
   */
  @Benchmark
  public Object send(Producer producer, Delivered delivered) {
    Pipeline p = pipeline();
    producer.acquire(p, 1);
    return p.send(producer.next());
  }

  Pipeline pipeline() {
    Pipeline p = pipeline;
    if (p == null) {
      throw new IllegalStateException("not set up");
    }
    return p;
  }

  /** Messages the consumer finished during the iteration, per second. */
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
    public void start(EndToEndSendBenchmark benchmark) {
      start = benchmark.pipeline().handled.get();
    }

    /**
     * Counts what the consumer finished since the start.
     *
     * @param benchmark the benchmark
     */
    @TearDown(Level.Iteration)
    public void stop(EndToEndSendBenchmark benchmark) {
      delivered = benchmark.pipeline().handled.get() - start;
    }
  }
}

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
 * {@code Queue.send()} throughput of a ~100-byte JSON body from 1 and 2 producer threads, with a
 * consumer ({@code maxBatchSize} 100, {@code maxBatchTimeout} 0) draining the queue, against the
 * baseline (encode, {@code ArrayBlockingQueue}, decode on a consumer thread). Producers stay within
 * {@link Fixtures#WINDOW} messages of the consumer, so the figure is a sustainable rate, not the
 * speed of filling an unbounded backlog.
 *
 * <pre>{@code
 * java -Djmh.ignoreLock=true -jar benchmarks/target/benchmarks.jar SendBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SendBenchmark {
  @Param({"engine", "baseline"})
  String impl = "engine";

  private @Nullable Pipeline pipeline;

  /** Starts the pipeline and warms both of its sides. */
  @Setup(Level.Trial)
  public void setUp() {
    Pipeline p = Pipeline.create(impl, 100);
    p.warmUp(Fixtures.WARM_UP);
    pipeline = p;
  }

  /** Stops the pipeline. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pipeline().close();
  }

  /**
   * One producer thread.
   *
   * @param producer the thread's state
   * @return the send result, for the blackhole
   */
  @Benchmark
  @Threads(1)
  public Object send_1producer(Producer producer) {
    return send(producer);
  }

  /**
   * Two producer threads (with the consumer, three threads on two cores).
   *
   * @param producer the thread's state
   * @return the send result, for the blackhole
   */
  @Benchmark
  @Threads(2)
  public Object send_2producers(Producer producer) {
    return send(producer);
  }

  private Object send(Producer producer) {
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

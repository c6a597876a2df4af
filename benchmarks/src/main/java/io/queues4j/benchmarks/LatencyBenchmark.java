package io.queues4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.queues4j.Message;
import io.queues4j.Queue;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
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
 * Send-to-handler latency at a steady offered load: one producer sends a body every {@code 1/rate}
 * seconds (busy-waiting to its schedule), the consumer ({@code maxBatchTimeout} 0, {@code
 * maxBatchSize} 100) records {@code nanoTime() - scheduled send time} for every message. Measuring
 * from the <em>scheduled</em> time, not the actual one, keeps a stalled producer from hiding the
 * stall (no coordinated omission). The primary score is the achieved send rate (it should equal
 * {@code rate}); the percentiles are the secondary results {@code p50}, {@code p99} and {@code
 * p999}, in microseconds per iteration, exact over every message of the iteration.
 *
 * <pre>{@code
 * java -Djmh.ignoreLock=true -jar benchmarks/target/benchmarks.jar LatencyBenchmark -p rate=50000
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class LatencyBenchmark {
  @Param({"engine", "baseline"})
  String impl = "engine";

  /** Offered load, messages per second. */
  @Param({"50000"})
  int rate = 50_000;

  private final LatencyRecorder recorder = new LatencyRecorder(4_000_000);
  private @Nullable Sender sender;
  private long intervalNanos;
  private long nextSendAt;
  private long sent;
  private long id;

  /** Starts the engine or baseline and warms it at the offered rate. */
  @Setup(Level.Trial)
  public void setUp() {
    intervalNanos = 1_000_000_000L / rate;
    sender = impl.equals("engine") ? new EngineSender(recorder) : new BaselineSender(recorder);
  }

  /** Re-anchors the schedule so that setup pauses are not counted as producer lag. */
  @Setup(Level.Iteration)
  public void startIteration() {
    recorder.reset();
    sent = 0;
    nextSendAt = System.nanoTime();
  }

  /** Stops the engine or baseline. */
  @TearDown(Level.Trial)
  public void tearDown() {
    sender().close();
  }

  /**
   * Waits for the next slot of the schedule, then sends one body stamped with that slot.
   *
   * @param percentiles the counters filled at the end of each iteration
   * @return the send result, for the blackhole
   */
  @Benchmark
  public Object send(Percentiles percentiles) {
    long at = nextSendAt;
    while (System.nanoTime() < at) {
      Thread.onSpinWait();
    }
    nextSendAt = at + intervalNanos;
    sent++;
    return sender().send(Order.of(id++, at));
  }

  private Sender sender() {
    Sender s = sender;
    if (s == null) {
      throw new IllegalStateException("not set up");
    }
    return s;
  }

  /** The percentiles of the iteration, in microseconds; JMH reports them as they are. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Percentiles {
    /** Median send-to-handler latency, microseconds. */
    public double p50;

    /** 99th percentile, microseconds. */
    public double p99;

    /** 99.9th percentile, microseconds. */
    public double p999;

    /**
     * Waits for the consumer to see every message of the iteration, then computes.
     *
     * @param benchmark the benchmark
     */
    @TearDown(Level.Iteration)
    public void compute(LatencyBenchmark benchmark) {
      Fixtures.awaitAtLeast(benchmark.recorder::count, benchmark.sent, Duration.ofSeconds(30));
      long[] p = benchmark.recorder.percentiles(50, 99, 99.9);
      p50 = p[0] / 1e3;
      p99 = p[1] / 1e3;
      p999 = p[2] / 1e3;
    }
  }

  private interface Sender extends AutoCloseable {
    Object send(Order body);

    @Override
    void close();
  }

  private static final class EngineSender implements Sender {
    private final QueueEngine engine;
    private final Queue<Order> queue;

    EngineSender(LatencyRecorder recorder) {
      engine = QueueEngine.builder().objectMapper(Fixtures.MAPPER).build();
      engine.declareQueue("latency");
      engine.consume(
          "latency",
          Order.class,
          ConsumerSettings.builder()
              .maxBatchSize(100)
              .maxBatchTimeout(Duration.ZERO)
              .maxConcurrency(1)
              .build(),
          (batch, ctx) -> {
            long now = System.nanoTime();
            for (Message<Order> message : batch.messages()) {
              recorder.record(now - message.body().sentNanos());
            }
          });
      queue = engine.queue("latency");
    }

    @Override
    public Object send(Order body) {
      return queue.send(body).join();
    }

    @Override
    public void close() {
      engine.shutdown(Duration.ofSeconds(5));
    }
  }

  /** Encode, {@code ArrayBlockingQueue}, a consumer thread blocked in {@code take()}, decode. */
  private static final class BaselineSender implements Sender {
    private final ObjectWriter writer = Fixtures.MAPPER.writer();
    private final ObjectReader reader = Fixtures.MAPPER.readerFor(Order.class);
    private final ArrayBlockingQueue<byte[]> handOff = new ArrayBlockingQueue<>(Fixtures.WINDOW);
    private final Thread consumer;

    BaselineSender(LatencyRecorder recorder) {
      consumer =
          new Thread(
              () -> {
                try {
                  while (true) {
                    byte[] bytes = handOff.take();
                    Order body = reader.readValue(bytes);
                    recorder.record(System.nanoTime() - body.sentNanos());
                  }
                } catch (InterruptedException e) {
                  // closing
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              },
              "baseline-consumer");
      consumer.setDaemon(true);
      consumer.start();
    }

    @Override
    public Object send(Order body) {
      try {
        byte[] bytes = writer.writeValueAsBytes(body);
        handOff.put(bytes);
        return bytes;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      consumer.interrupt();
    }
  }
}

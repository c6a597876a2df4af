package io.queues4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueRetryOptions;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * Retry churn: end to end with {@code sendBatch} of 100 as in {@link EndToEndBatchBenchmark}, but
 * the handler retries 10% of the messages once with {@code retry(delaySeconds(1))}, and 1% on
 * every delivery, so that with {@code maxRetries} 1 they go to a dead-letter queue (whose consumer
 * acks them). Real clock and timer: retried messages wait a real second in the delayed heap. The
 * window counts first deliveries, so the delayed retries do not throttle the producer. Secondary
 * results: {@code retried} and {@code deadLettered} per second, to check the mix.
 *
 * <p>The baseline's consumer keeps its retries in a {@link PriorityQueue} by due time and decodes
 * them again when due; its dead letters are decoded once more and dropped.
 *
 * <pre>{@code
 * java -Djmh.ignoreLock=true -jar benchmarks/target/benchmarks.jar RetryChurnBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class RetryChurnBenchmark {
  static final int BATCH = 100;

  @Param({"engine", "baseline"})
  String impl = "engine";

  private @Nullable Churn churn;

  /** Starts the engine or baseline. */
  @Setup(Level.Trial)
  public void setUp() {
    churn = impl.equals("engine") ? new EngineChurn() : new BaselineChurn();
  }

  /** Stops it. */
  @TearDown(Level.Trial)
  public void tearDown() {
    churn().close();
  }

  /**
   * Sends one batch of 100.
   *
   * @param producer the thread's state
   * @param counters the retry mix
   * @return the send result, for the blackhole
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object sendBatch100(Producer producer, Mix counters) {
    Churn c = churn();
    long total = c.sent.addAndGet(BATCH);
    while (total - c.firstDeliveries.get() > Fixtures.WINDOW) {
      Fixtures.relax();
    }
    return c.sendBatch(producer.nextBatch(BATCH));
  }

  private Churn churn() {
    Churn c = churn;
    if (c == null) {
      throw new IllegalStateException("not set up");
    }
    return c;
  }

  /** What the handler retried and dead-lettered during the iteration, per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Mix {
    /** Deliveries that ended in a retry. */
    public long retried;

    /** Messages that reached the dead-letter queue's handler. */
    public long deadLettered;

    private long retriedAtStart;
    private long deadLetteredAtStart;

    /**
     * Marks the start.
     *
     * @param benchmark the benchmark
     */
    @Setup(Level.Iteration)
    public void start(RetryChurnBenchmark benchmark) {
      retriedAtStart = benchmark.churn().retried.get();
      deadLetteredAtStart = benchmark.churn().deadLettered.get();
    }

    /**
     * Counts.
     *
     * @param benchmark the benchmark
     */
    @TearDown(Level.Iteration)
    public void stop(RetryChurnBenchmark benchmark) {
      retried = benchmark.churn().retried.get() - retriedAtStart;
      deadLettered = benchmark.churn().deadLettered.get() - deadLetteredAtStart;
    }
  }

  /** Whether the handler retries message {@code id} on delivery {@code attempts}. */
  static boolean retry(long id, int attempts) {
    long bucket = Long.remainderUnsigned(id, 100);
    return bucket == 0 || (bucket < 10 && attempts == 1);
  }

  private abstract static class Churn implements AutoCloseable {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong firstDeliveries = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();

    abstract Object sendBatch(List<Order> bodies);

    @Override
    public abstract void close();
  }

  private static final class EngineChurn extends Churn {
    private static final QueueRetryOptions ONE_SECOND = QueueRetryOptions.delaySeconds(1);
    private final QueueEngine engine;
    private final Queue<Order> queue;

    EngineChurn() {
      engine = QueueEngine.builder().objectMapper(Fixtures.MAPPER).build();
      engine.declareQueue("churn");
      ConsumerSettings.Builder settings =
          ConsumerSettings.builder()
              .maxBatchSize(BATCH)
              .maxBatchTimeout(Duration.ZERO)
              .maxConcurrency(1);
      engine.consume(
          "churn",
          Order.class,
          settings.maxRetries(1).deadLetterQueue("churn-dlq").build(),
          (batch, ctx) -> {
            int first = 0;
            int retries = 0;
            for (Message<Order> message : batch.messages()) {
              if (message.attempts() == 1) {
                first++;
              }
              if (retry(message.body().id(), message.attempts())) {
                message.retry(ONE_SECOND);
                retries++;
              }
            }
            retried.addAndGet(retries);
            firstDeliveries.addAndGet(first);
          });
      engine.consume(
          "churn-dlq",
          Order.class,
          ConsumerSettings.builder()
              .maxBatchSize(BATCH)
              .maxBatchTimeout(Duration.ZERO)
              .maxConcurrency(1)
              .build(),
          (batch, ctx) -> deadLettered.addAndGet(batch.messages().size()));
      queue = engine.queue("churn");
    }

    @Override
    Object sendBatch(List<Order> bodies) {
      List<MessageSendRequest<Order>> requests = new ArrayList<>(bodies.size());
      for (Order body : bodies) {
        requests.add(MessageSendRequest.of(body));
      }
      return queue.sendBatch(requests).join();
    }

    @Override
    public void close() {
      engine.shutdown(Duration.ofSeconds(5));
    }
  }

  private static final class BaselineChurn extends Churn {
    private final ObjectWriter writer = Fixtures.MAPPER.writer();
    private final ObjectReader reader = Fixtures.MAPPER.readerFor(Order.class);
    private final ArrayBlockingQueue<byte[][]> handOff =
        new ArrayBlockingQueue<>(Fixtures.WINDOW / BATCH);
    private final Thread consumer;

    BaselineChurn() {
      consumer = new Thread(this::consume, "baseline-consumer");
      consumer.setDaemon(true);
      consumer.start();
    }

    @Override
    Object sendBatch(List<Order> bodies) {
      try {
        byte[][] batch = new byte[bodies.size()][];
        for (int i = 0; i < batch.length; i++) {
          batch[i] = writer.writeValueAsBytes(bodies.get(i));
        }
        handOff.put(batch);
        return batch;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private void consume() {
      PriorityQueue<Retry> retries = new PriorityQueue<>(Retry::compare);
      try {
        while (true) {
          byte[][] batch = retries.isEmpty() ? handOff.take() : handOff.poll(1, TimeUnit.MILLISECONDS);
          if (batch != null) {
            int first = 0;
            for (byte[] body : batch) {
              first++;
              deliver(body, 1, retries);
            }
            firstDeliveries.addAndGet(first);
          }
          long now = System.nanoTime();
          Retry due;
          while ((due = retries.peek()) != null && due.dueNanos - now <= 0) {
            retries.poll();
            if (due.attempts > 1) {
              reader.readValue(due.body); // the dead-letter queue's consumer decodes it too
              deadLettered.incrementAndGet();
            } else {
              deliver(due.body, due.attempts + 1, retries);
            }
          }
        }
      } catch (InterruptedException e) {
        // closing
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private void deliver(byte[] body, int attempts, PriorityQueue<Retry> retries)
        throws IOException {
      Order order = reader.readValue(body);
      if (retry(order.id(), attempts)) {
        retried.incrementAndGet();
        // the last allowed delivery failed: dead-letter now (no delay), else retry in 1 s
        long delay = attempts > 1 ? 0 : TimeUnit.SECONDS.toNanos(1);
        retries.add(new Retry(System.nanoTime() + delay, attempts, body));
      }
    }

    @Override
    public void close() {
      consumer.interrupt();
    }

    @SuppressWarnings("ArrayRecordComponent") // never compared or hashed
    private record Retry(long dueNanos, int attempts, byte[] body) {
      static int compare(Retry a, Retry b) {
        return Long.compare(a.dueNanos - b.dueNanos, 0);
      }
    }
  }
}

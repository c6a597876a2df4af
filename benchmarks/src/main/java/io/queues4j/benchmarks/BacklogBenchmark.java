package io.queues4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A backlog of delayed messages (delays spread over 1 s to 1 h), on an engine driven by a {@link
 * ManualClock} and a {@link ManualScheduler}, so that "their time comes" is one clock step:
 *
 * <ul>
 *   <li>{@code fill}: time to enqueue {@code backlog} messages with {@code sendBatch} of 100;
 *   <li>{@code release}: from the clock step to the handler having seen every message (batches of
 *       100, {@code maxBatchTimeout} 0); the secondary {@code promoteNanosPerMessage} is the
 *       share spent in the wake-up that makes them all ready;
 *   <li>{@code footprint}: retained heap per queued message, measured as the used heap after
 *       {@code System.gc()} before and after the fill (G1's explicit GC is a full, compacting
 *       collection, so used heap is live data; over a million messages the few KB of noise are
 *       below 0.01 byte per message). Secondary results {@code bytesPerMessage} and {@code
 *       beyondBody} (minus the encoded body's length); its time score is meaningless.
 * </ul>
 *
 * <p>The secondary results are JMH {@code EVENTS} counters: the console prints their sum over the
 * iterations; {@link ChartRenderer} averages the per-iteration values from the JSON.
 *
 * <p>Scores are milliseconds per whole backlog; divide by {@code backlog} for the per-message cost.
 * Running two sizes shows how the per-message cost grows with the backlog (O(log n) for a heap).
 * The baseline is the same bodies, encoded with the same mapper, in a {@link PriorityQueue}
 * ordered by due time, released through an {@code ArrayBlockingQueue} (100 bodies per hand-off)
 * to a consumer thread that decodes them.
 *
 * <pre>{@code
 * java -Djmh.ignoreLock=true -jar benchmarks/target/benchmarks.jar BacklogBenchmark
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Threads(1)
public class BacklogBenchmark {
  static final long START_MILLIS = 1_800_000_000_000L;
  static final long MAX_DELAY_SECONDS = 3_600;

  @Param({"engine", "baseline"})
  String impl = "engine";

  @Param({"100000", "1000000"})
  int backlog = 1_000_000;

  /**
   * Enqueues the backlog.
   *
   * @param empty a fresh store
   * @return the store, for the blackhole
   */
  @Benchmark
  public Object fill(Empty empty) {
    Store s = empty.store();
    s.fill(backlog);
    return s;
  }

  /**
   * Releases a backlog filled before the measurement: one clock step past every due time, then
   * wait for the handler to have seen them all.
   *
   * @param filled a store holding the backlog
   * @param counters where the promotion time goes
   * @return the number handled
   */
  @Benchmark
  public long release(Filled filled, ReleaseCounters counters) {
    Store s = filled.store();
    long start = System.nanoTime();
    s.makeDue();
    counters.promoteNanosPerMessage = (System.nanoTime() - start) / (double) backlog;
    s.awaitHandled(backlog);
    return s.handled();
  }

  /**
   * Measures the heap the backlog retains.
   *
   * @param empty a fresh store
   * @param counters where the figures go
   * @return the store, for the blackhole
   */
  @Benchmark
  public Object footprint(Empty empty, FootprintCounters counters) {
    Store s = empty.store();
    long before = usedHeapAfterGc();
    s.fill(backlog);
    long after = usedHeapAfterGc();
    counters.bytesPerMessage = (after - before) / (double) backlog;
    counters.beyondBody = counters.bytesPerMessage - s.bodyBytes() / (double) backlog;
    return s;
  }

  private static long usedHeapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  Store newStore() {
    return impl.equals("engine") ? new EngineStore() : new BaselineStore();
  }

  /** Holds the store of one invocation. */
  abstract static class Holder {
    private @Nullable Store store;

    void set(Store s) {
      store = s;
    }

    void closeStore() {
      store().close();
      store = null;
    }

    Store store() {
      Store s = store;
      if (s == null) {
        throw new IllegalStateException("not set up");
      }
      return s;
    }
  }

  /** A fresh, empty store for each invocation, closed after it. */
  @State(Scope.Thread)
  public static class Empty extends Holder {
    /**
     * Creates the store.
     *
     * @param benchmark the benchmark's parameters
     */
    @Setup(Level.Invocation)
    public void open(BacklogBenchmark benchmark) {
      set(benchmark.newStore());
    }

    /** Closes the store. */
    @TearDown(Level.Invocation)
    public void close() {
      closeStore();
    }
  }

  /** A fresh store holding the backlog for each invocation, closed after it. */
  @State(Scope.Thread)
  public static class Filled extends Holder {
    /**
     * Creates the store and fills it.
     *
     * @param benchmark the benchmark's parameters
     */
    @Setup(Level.Invocation)
    public void open(BacklogBenchmark benchmark) {
      Store s = benchmark.newStore();
      s.fill(benchmark.backlog);
      set(s);
    }

    /** Closes the store. */
    @TearDown(Level.Invocation)
    public void close() {
      closeStore();
    }
  }

  /** The secondary result of {@code release}. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class ReleaseCounters {
    /** Nanoseconds per message spent making the backlog ready (the wake-up's promotion). */
    public double promoteNanosPerMessage;
  }

  /** The secondary results of {@code footprint}. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class FootprintCounters {
    /** Retained heap per queued message, bytes. */
    public double bytesPerMessage;

    /** Retained heap per queued message beyond the encoded body's length, bytes. */
    public double beyondBody;
  }

  /** The delay of message {@code i}: spread over [1 s, 1 h], deterministic. */
  static int delaySeconds(long i) {
    return (int) (1 + Long.remainderUnsigned(mix(i), MAX_DELAY_SECONDS));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  interface Store extends AutoCloseable {
    void fill(int count);

    /** Moves time past every due time and runs what that wakes, on this thread. */
    void makeDue();

    void awaitHandled(long count);

    long handled();

    long bodyBytes();

    @Override
    void close();
  }

  private static final class EngineStore implements Store {
    private final ManualClock clock = new ManualClock(START_MILLIS);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final QueueEngine engine;
    private final Queue<Order> queue;
    private final AtomicLong handled = new AtomicLong();

    EngineStore() {
      engine =
          QueueEngine.builder()
              .clock(clock)
              .scheduler(scheduler)
              .objectMapper(Fixtures.MAPPER)
              .build();
      engine.declareQueue("delayed");
      engine.consume(
          "delayed",
          Order.class,
          ConsumerSettings.builder()
              .maxBatchSize(100)
              .maxBatchTimeout(Duration.ZERO)
              .maxConcurrency(1)
              .build(),
          (batch, ctx) -> {
            List<Message<Order>> messages = batch.messages();
            for (Message<Order> message : messages) {
              if (message.body().quantity() < 0) {
                throw new IllegalStateException("impossible");
              }
            }
            handled.addAndGet(messages.size());
          });
      queue = engine.queue("delayed");
    }

    @Override
    public void fill(int count) {
      List<MessageSendRequest<Order>> requests = new ArrayList<>(100);
      for (int i = 0; i < count; i += 100) {
        requests.clear();
        for (int j = i; j < Math.min(count, i + 100); j++) {
          requests.add(MessageSendRequest.of(Order.of(j, 0)).withDelaySeconds(delaySeconds(j)));
        }
        queue.sendBatch(requests).join();
      }
    }

    @Override
    public void makeDue() {
      clock.advanceMillis((MAX_DELAY_SECONDS + 1) * 1000);
      scheduler.runDue(clock.millis());
    }

    @Override
    public void awaitHandled(long count) {
      Fixtures.awaitAtLeast(handled::get, count, Duration.ofMinutes(2));
    }

    @Override
    public long handled() {
      return handled.get();
    }

    @Override
    public long bodyBytes() {
      return engine.stats("delayed").metrics().backlogBytes();
    }

    @Override
    public void close() {
      engine.shutdown(Duration.ofSeconds(5));
    }
  }

  /** The floor: a {@link PriorityQueue} of encoded bodies, an ABQ hand-off, a decoding thread. */
  private static final class BaselineStore implements Store {
    private final ObjectWriter writer = Fixtures.MAPPER.writer();
    private final ObjectReader reader = Fixtures.MAPPER.readerFor(Order.class);
    private final PriorityQueue<Entry> delayed = new PriorityQueue<>(Entry::compare);
    private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
    private final ArrayBlockingQueue<byte[][]> handOff =
        new ArrayBlockingQueue<>(Fixtures.WINDOW / 100);
    private final AtomicLong handled = new AtomicLong();
    private final Thread consumer;
    private long now = START_MILLIS;
    private long sequence;
    private long bodyBytes;

    BaselineStore() {
      consumer = new Thread(this::consume, "baseline-consumer");
      consumer.setDaemon(true);
      consumer.start();
    }

    @Override
    public void fill(int count) {
      try {
        for (int j = 0; j < count; j++) {
          byte[] body = writer.writeValueAsBytes(Order.of(j, 0));
          bodyBytes += body.length;
          delayed.add(new Entry(now + delaySeconds(j) * 1000L, sequence++, body));
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void makeDue() {
      now += (MAX_DELAY_SECONDS + 1) * 1000;
      Entry next;
      while ((next = delayed.peek()) != null && next.due <= now) {
        ready.addLast(delayed.poll().body);
      }
    }

    @Override
    public void awaitHandled(long count) {
      try {
        byte[] body;
        byte[][] chunk = new byte[100][];
        int n = 0;
        while ((body = ready.pollFirst()) != null) {
          chunk[n++] = body;
          if (n == chunk.length) {
            handOff.put(chunk);
            chunk = new byte[100][];
            n = 0;
          }
        }
        if (n > 0) {
          handOff.put(Arrays.copyOf(chunk, n));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Fixtures.awaitAtLeast(handled::get, count, Duration.ofMinutes(2));
    }

    private void consume() {
      try {
        while (true) {
          byte[][] chunk = handOff.take();
          for (byte[] body : chunk) {
            Order order = reader.readValue(body);
            if (order.quantity() < 0) {
              throw new IllegalStateException("impossible");
            }
          }
          handled.addAndGet(chunk.length);
        }
      } catch (InterruptedException e) {
        // closing
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public long handled() {
      return handled.get();
    }

    @Override
    public long bodyBytes() {
      return bodyBytes;
    }

    @Override
    public void close() {
      consumer.interrupt();
    }

    @SuppressWarnings("ArrayRecordComponent") // never compared or hashed
    private record Entry(long due, long sequence, byte[] body) {
      static int compare(Entry a, Entry b) {
        int c = Long.compare(a.due, b.due);
        return c != 0 ? c : Long.compare(a.sequence, b.sequence);
      }
    }
  }
}

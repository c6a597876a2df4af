package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Queue;
import io.queues4j.QueueSendResult;
import io.queues4j.StorageLimitExceededException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Refusals, waiting sends and retention expiry under concurrent load: nothing is lost or
 * duplicated, and a fast producer against a slow consumer stays within the memory budget.
 */
class BackPressureStressTest {

  /** A clock advanced by a ticker thread, with a scheduler that runs what the ticker makes due. */
  private static final class SteppedTime implements InstantSource, Scheduler {
    private final AtomicLong now = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    private final PriorityQueue<Object[]> timers =
        new PriorityQueue<>((a, b) -> Long.compare((long) a[0], (long) b[0]));

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }

    @Override
    public long millis() {
      return now.get();
    }

    @Override
    public synchronized Cancellable schedule(Instant at, Runnable task) {
      Object[] timer = {at.toEpochMilli(), task};
      timers.add(timer);
      return () -> {
        synchronized (this) {
          timers.remove(timer);
        }
      };
    }

    /** Advances by {@code millis} and runs every timer now due, outside the monitor. */
    void step(long millis) {
      long t = now.addAndGet(millis);
      List<Runnable> due = new ArrayList<>();
      synchronized (this) {
        while (!timers.isEmpty() && (long) timers.peek()[0] <= t) {
          due.add((Runnable) timers.poll()[1]);
        }
      }
      due.forEach(Runnable::run);
    }
  }

  @Test
  void refusalsWaitsAndExpiriesLoseNothingUnderConcurrentLoad() throws Exception {
    SteppedTime time = new SteppedTime();
    Map<String, String> ends = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    QueueListener listener = event -> {
      String id = null;
      if (event instanceof QueueEvent.Acked a) {
        id = a.messageId();
      } else if (event instanceof QueueEvent.Expired e) {
        id = e.messageId();
      } else if (event instanceof QueueEvent.Dropped d) {
        id = d.messageId();
      }
      if (id != null && ends.put(id, event.getClass().getSimpleName()) != null) {
        duplicates.incrementAndGet();
      }
    };
    ExecutorService consumers = Executors.newFixedThreadPool(2);
    QueueEngine engine = QueueEngine.builder().clock(time).scheduler(time).executor(consumers)
        .listener(listener).build();
    engine.declareQueue("q", QueueSettings.builder().maxBacklogMessages(200)
        .retentionPeriod(Duration.ofSeconds(60)).build());
    engine.consume("q", Integer.class, ConsumerSettings.builder().maxBatchSize(10)
        .maxBatchTimeout(Duration.ofSeconds(1)).maxRetries(5).retryDelay(Duration.ofSeconds(20))
        .maxConcurrency(2).build(), (batch, ctx) -> {
          if (batch.messages().get(0).body() % 3 == 0) {
            throw new IllegalStateException("every third batch fails");
          }
        });
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread ticker = new Thread(() -> {
      while (producing.get()) {
        time.step(250);
        Thread.onSpinWait();
      }
    }, "ticker");
    ticker.start();
    ExecutorService producers = Executors.newFixedThreadPool(3);
    List<Future<int[]>> results = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      int producer = p;
      results.add(producers.submit(() -> {
        Queue<Integer> failFast = engine.queue("q");
        Queue<Integer> patient = engine.queue("q", Duration.ofSeconds(5));
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 5_000; i++) {
          CompletableFuture<QueueSendResult> f =
              (i % 2 == 0 ? failFast : patient).send(producer * 10_000 + i);
          try {
            f.get(30, TimeUnit.SECONDS);
            accepted++;
          } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(StorageLimitExceededException.class);
            refused++;
          }
        }
        return new int[] {accepted, refused};
      }));
    }
    int accepted = 0;
    int refused = 0;
    for (Future<int[]> r : results) {
      int[] counts = r.get(60, TimeUnit.SECONDS);
      accepted += counts[0];
      refused += counts[1];
    }
    producing.set(false);
    ticker.join(60_000);
    // Play out every retry and expiry, and go on until every accepted message has ended (or a
    // minute has passed): the last batches may still be running when 2,000 steps are done. The
    // counters are updated before the events that fill ends, so stats read after it are final.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int i = 0; i < 2_000 || (ends.size() < accepted && System.nanoTime() < deadline); i++) {
      time.step(1_000);
    }
    QueueStats stats = engine.stats("q");
    engine.shutdown(Duration.ofSeconds(5));
    consumers.shutdown();
    producers.shutdown();

    assertThat(accepted + refused).isEqualTo(15_000);
    assertThat(refused).as("the load must hit the limit").isPositive();
    assertThat(stats.expired()).as("the load must outlive retention").isPositive();
    assertThat(stats.acked()).isPositive();
    assertThat(stats.sent()).isEqualTo(accepted);
    assertThat(stats.refusedSends()).isEqualTo(refused);
    assertThat(duplicates.get()).isZero();
    assertThat(ends).hasSize(accepted);
    assertThat(stats.acked() + stats.expired() + stats.dropped()).isEqualTo(accepted);
    assertThat(stats.metrics().backlogCount()).isZero();
    assertThat(engine.backlogMemoryUsed()).isZero();
  }

  @Test
  void aFastProducerAgainstASlowConsumerStaysWithinTheBudget() throws Exception {
    long budget = 200_000;
    AtomicLong highWater = new AtomicLong();
    AtomicLong checksum = new AtomicLong();
    QueueEngine engine = QueueEngine.builder().backlogMemoryLimit(budget).build();
    try {
      engine.declareQueue("slow");
      engine.consume("slow", String.class, ConsumerSettings.builder().maxBatchSize(5)
          .maxBatchTimeout(Duration.ZERO).maxConcurrency(1).build(), (batch, ctx) -> {
            highWater.accumulateAndGet(engine.backlogMemoryUsed(), Math::max);
            int work = 0; // a slow consumer: real work on every message
            for (var m : batch.messages()) {
              for (int i = 0; i < 200; i++) {
                work += (m.body() + i).hashCode();
              }
            }
            checksum.addAndGet(work);
          });
      Queue<String> producer = engine.queue("slow", Duration.ofSeconds(30));
      String body = "x".repeat(200);
      List<CompletableFuture<QueueSendResult>> last = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        CompletableFuture<QueueSendResult> f = producer.send(body);
        highWater.accumulateAndGet(engine.backlogMemoryUsed(), Math::max);
        last.add(f);
        if (last.size() == 100) { // at most 100 sends outstanding, like a bounded client
          CompletableFuture.allOf(last.toArray(CompletableFuture[]::new)).join();
          last.clear();
        }
      }
      CompletableFuture.allOf(last.toArray(CompletableFuture[]::new)).join();
      assertThat(engine.stats("slow").refusedSends()).isZero();
      assertThat(engine.stats("slow").sent()).isEqualTo(20_000);
    } catch (CompletionException e) {
      throw new AssertionError("a waiting send failed", e);
    } finally {
      engine.shutdown(Duration.ofSeconds(5));
    }
    assertThat(highWater.get()).isPositive().isLessThanOrEqualTo(budget);
  }
}

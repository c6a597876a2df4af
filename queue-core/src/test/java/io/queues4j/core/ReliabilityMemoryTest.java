package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, memory: the bounded dead-letter ring stays bounded under a flood of poison messages,
 * and a run of a few seconds leaves no retained heap behind once the backlog has drained.
 */
class ReliabilityMemoryTest {

  @Test
  void theDeadLetterRingStaysBoundedUnderAFloodOfPoisonMessages() {
    try (EngineFixture fx = new EngineFixture()) {
      int capacity = 100;
      int flood = 20_000;
      fx.engine.declareQueue("dlq", QueueSettings.builder().deadLetterCapacity(capacity).build());
      Queue<String> poison = fx.declare("poison");
      fx.consume("poison", ConsumerSettings.builder().maxBatchSize(100)
          .maxBatchTimeout(Duration.ZERO).maxRetries(0).deadLetterQueue("dlq").build(),
          (batch, ctx) -> {
            throw new IllegalStateException("poison");
          });
      String body = "x".repeat(98); // 100 bytes encoded
      for (int sent = 0; sent < flood; sent += 100) {
        List<MessageSendRequest<String>> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          batch.add(MessageSendRequest.of(body));
        }
        poison.sendBatch(batch).join();
        fx.time.runUntilIdle();
        assertThat(fx.engine.stats("dlq").metrics().backlogCount()).isLessThanOrEqualTo(capacity);
      }
      QueueStats dlq = fx.engine.stats("dlq");
      assertThat(dlq.deadLettersReceived()).isEqualTo(flood);
      assertThat(dlq.deadLettersEvicted()).isEqualTo(flood - capacity);
      assertThat(dlq.metrics().backlogCount()).isEqualTo(capacity);
      assertThat(fx.engine.deadLetters("dlq")).hasSize(capacity);
      assertThat(fx.engine.stats("poison").metrics().backlogCount()).isZero();
      assertThat(fx.engine.backlogMemoryUsed())
          .as("only the ring is charged").isEqualTo(capacity * (100 + 100L));
      assertThat(fx.events(QueueEvent.DeadLetterEvicted.class)).hasSize(flood - capacity);
      assertThat(fx.engine.drainDeadLetters("dlq")).hasSize(capacity);
      assertThat(fx.engine.backlogMemoryUsed()).isZero();
      assertThat(fx.engine.stats("dlq").metrics().backlogCount()).isZero();
    }
  }

  /** Heap in use after full collections; the lowest of a few readings, to damp noise. */
  private static long retainedHeap() {
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Runtime runtime = Runtime.getRuntime(); // MemoryMXBean needs java.management, which the
      lowest = Math.min(lowest, runtime.totalMemory() - runtime.freeMemory()); // module lacks
    }
    return lowest;
  }

  /** Sends {@code count} 1 KB messages from two threads and waits until they are all acked. */
  private static void pushAndDrain(QueueEngine engine, ExecutorService producers, int count)
      throws Exception {
    long ackedBefore = engine.stats("m").acked();
    String body = "y".repeat(1_000);
    List<Future<?>> done = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      done.add(producers.submit(() -> {
        Queue<String> q = engine.queue("m");
        for (int sent = 0; sent < count / 2; sent += 50) {
          List<MessageSendRequest<String>> batch = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            batch.add(MessageSendRequest.of(body));
          }
          q.sendBatch(batch).join();
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Object monitor = new Object();
    while (engine.stats("m").acked() < ackedBefore + count) {
      assertThat(System.nanoTime()).as("draining").isLessThan(deadline);
      synchronized (monitor) {
        monitor.wait(5); // a bounded re-check of the counters, not a wait for time to pass
      }
    }
  }

  @Test
  void aLongRunLeavesNoRetainedHeapOnceTheBacklogDrains() throws Exception {
    ExecutorService producers = Executors.newFixedThreadPool(2);
    QueueEngine engine = QueueEngine.builder().build();
    try {
      engine.declareQueue("m");
      engine.consume("m", String.class, ConsumerSettings.builder().maxBatchSize(50)
          .maxBatchTimeout(Duration.ofMillis(2)).maxConcurrency(2).build(), (batch, ctx) -> {
            if (batch.messages().get(0).attempts() == 1 && batch.messages().size() % 7 == 0) {
              batch.retryAll(); // some churn through the retry path too
            }
          });
      pushAndDrain(engine, producers, 20_000); // warm-up: classes, pools, JIT
      assertThat(engine.backlogMemoryUsed()).isZero();
      long baseline = retainedHeap();
      int pushed = 100_000; // 100 MB of bodies: a leak of even a tenth of them would show
      pushAndDrain(engine, producers, pushed);
      assertThat(engine.backlogMemoryUsed()).as("budget back to zero after draining").isZero();
      assertThat(engine.stats("m").metrics().backlogCount()).isZero();
      long after = retainedHeap();
      System.out.println("[reliability] memory: pushed " + pushed + " x 1 KB, retained heap "
          + baseline / 1024 + " KB before, " + after / 1024 + " KB after");
      assertThat(after - baseline).as("heap retained by a drained engine, bytes")
          .isLessThan(16L * 1024 * 1024);
      assertThat(ReliabilityClose.shutdownWithin(engine, Duration.ofSeconds(5),
          Duration.ofSeconds(15)).clean()).isTrue();
    } finally {
      producers.shutdownNow();
    }
  }
}

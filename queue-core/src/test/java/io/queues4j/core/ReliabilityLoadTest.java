package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueRetryOptions;
import io.queues4j.QueueSendOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, load and concurrency: several producers and several consumers on several queues, with
 * random handler failures (throws, failed and late {@code waitUntil} stages, explicit retries with
 * and without delay, acks from other threads) for a bounded run, then {@code close()}. Every sent
 * message must be accounted for exactly, per queue:
 *
 * <pre>
 * sent + dead letters received = acked + dead-lettered + dropped + expired + evicted
 *                                + undelivered at close (ShutdownReport)
 * </pre>
 *
 * and no message may be delivered more than {@code maxRetries + 1} times. {@link StressTest} covers
 * one queue without a close in the middle; {@link BackPressureStressTest} the waiting producers.
 */
class ReliabilityLoadTest {
  static final int MAX_RETRIES = 2;
  static final Duration RUN = Duration.ofMillis(2_500);
  static final List<String> QUEUES = List.of("orders", "emails", "events");
  static final List<String> DEAD_LETTER_QUEUES = List.of("orders-dlq", "events-dlq");

  /** Totals of a run, for the document. */
  record Totals(long sent, long delivered, long acked, long deadLettered, long dropped,
      long evicted, long expired, long undelivered, long lost) {}

  /** A handler that fails at random; bodies are {@code producer-n} strings. */
  static void consumeAtRandom(QueueEngine engine, String queue, ConsumerSettings settings,
      ExecutorService async) {
    engine.consume(queue, String.class, settings, (batch, ctx) -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (Message<String> m : batch.messages()) {
        int roll = random.nextInt(100);
        if (roll < 8) {
          m.retry();
        } else if (roll < 10) {
          m.retry(QueueRetryOptions.delaySeconds(1)); // some are still delayed at close
        } else if (roll < 20) {
          m.ack();
        } else if (roll < 25) {
          ctx.waitUntil(CompletableFuture.runAsync(m::ack, async)); // ack from another thread
        }
      }
      int fault = random.nextInt(100);
      if (fault < 4) {
        throw new IOException("random handler failure");
      } else if (fault < 6) {
        ctx.waitUntil(CompletableFuture.runAsync(() -> {
          throw new IllegalStateException("random stage failure");
        }, async));
      } else if (fault < 10) {
        ctx.waitUntil(CompletableFuture.runAsync(Thread::yield, async)); // completes later
      }
    });
  }

  static ConsumerSettings settings(int batchSize, int concurrency, String deadLetterQueue) {
    ConsumerSettings.Builder b = ConsumerSettings.builder().maxBatchSize(batchSize)
        .maxBatchTimeout(Duration.ofMillis(5)).maxRetries(MAX_RETRIES)
        .maxConcurrency(concurrency).handlerTimeout(Duration.ofSeconds(10));
    if (!deadLetterQueue.isEmpty()) {
      b.deadLetterQueue(deadLetterQueue);
    }
    return b.build();
  }

  /** Declares the queues and consumers of a run: one with a consumed DLQ, one without, one held. */
  static void declare(QueueEngine engine, ExecutorService async) {
    engine.declareQueue("events-dlq", QueueSettings.builder().deadLetterCapacity(50).build());
    for (String q : QUEUES) {
      engine.declareQueue(q);
    }
    consumeAtRandom(engine, "orders", settings(10, 3, "orders-dlq"), async);
    consumeAtRandom(engine, "emails", settings(1, 2, ""), async);
    consumeAtRandom(engine, "events", settings(25, 2, "events-dlq"), async); // DLQ: no consumer
    engine.consume("orders-dlq", String.class, settings(10, 1, ""), (batch, ctx) -> {});
  }

  /** Sends until {@code until} (System.nanoTime), at random: single sends, batches, delays. */
  static long produce(QueueEngine engine, int producer, long until) {
    SplittableRandom random = new SplittableRandom(producer);
    long sent = 0;
    int n = 0;
    while (System.nanoTime() < until) {
      Queue<String> q = engine.queue(QUEUES.get(random.nextInt(QUEUES.size())));
      try {
        if (random.nextInt(4) == 0) {
          List<MessageSendRequest<String>> batch = new ArrayList<>();
          int size = 1 + random.nextInt(20);
          for (int i = 0; i < size; i++) {
            batch.add(MessageSendRequest.of(producer + "-" + n++));
          }
          q.sendBatch(batch).join();
          sent += size;
        } else if (random.nextInt(50) == 0) {
          q.send(producer + "-" + n++, QueueSendOptions.delaySeconds(1)).join();
          sent++;
        } else {
          q.send(producer + "-" + n++).join();
          sent++;
        }
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof io.queues4j.QueueClosedException) {
          return sent; // closed under us (the shutdown test)
        }
        throw e;
      }
    }
    return sent;
  }

  /**
   * Checks the books of every queue after close; returns the totals. {@code sentByProducers} is
   * what producers saw accepted.
   */
  static Totals audit(QueueEngine engine, ShutdownReport report, ReliabilityLedger ledger,
      long sentByProducers) {
    List<String> unbalanced = new ArrayList<>();
    long sent = 0;
    long delivered = 0;
    long acked = 0;
    long deadLettered = 0;
    long dropped = 0;
    long evicted = 0;
    long expired = 0;
    long undelivered = 0;
    long lost = 0;
    List<String> all = new ArrayList<>(QUEUES);
    all.addAll(DEAD_LETTER_QUEUES);
    for (String q : all) {
      QueueStats s = engine.stats(q);
      long in = s.sent() + s.deadLettersReceived();
      long left = report.undeliveredByQueue().getOrDefault(q, 0L);
      long out = s.acked() + s.deadLettered() + s.dropped() + s.expired()
          + s.deadLettersEvicted() + left;
      if (in != out) {
        unbalanced.add(q + ": in " + in + " != out " + out + " " + s + " undelivered " + left);
        lost += Math.abs(in - out);
      }
      long endedEvents = ledger.ended(q);
      if (endedEvents + left != in) {
        unbalanced.add(q + ": " + endedEvents + " ended (events) + " + left
            + " undelivered != " + in + " in");
      }
      sent += s.sent();
      delivered += s.deliveries();
      acked += s.acked();
      deadLettered += s.deadLettered();
      dropped += s.dropped();
      evicted += s.deadLettersEvicted();
      expired += s.expired();
      undelivered += left;
    }
    assertThat(sent).as("sent as counted by the engine").isEqualTo(sentByProducers);
    assertThat(unbalanced).as("queues whose books do not balance").isEmpty();
    assertThat(ledger.endedTwice()).as("messages that ended twice").isEmpty();
    assertThat(ledger.attemptsOver(MAX_RETRIES + 1)).as("deliveries beyond maxRetries + 1")
        .isEmpty();
    return new Totals(sent, delivered, acked, deadLettered, dropped, evicted, expired,
        undelivered, lost);
  }

  @Test
  void manyProducersAndConsumersWithRandomFailuresLoseNothing() throws Exception {
    ReliabilityLedger ledger = new ReliabilityLedger();
    ExecutorService async = Executors.newFixedThreadPool(2);
    ExecutorService producers = Executors.newFixedThreadPool(4);
    QueueEngine engine = QueueEngine.builder().listener(ledger)
        .shutdownGracePeriod(Duration.ofSeconds(5)).build();
    try {
      declare(engine, async);
      long until = System.nanoTime() + RUN.toNanos();
      List<Future<Long>> done = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        int producer = p;
        done.add(producers.submit(() -> produce(engine, producer, until)));
      }
      long sent = 0;
      for (Future<Long> f : done) {
        sent += f.get(30, TimeUnit.SECONDS);
      }
      ShutdownReport report =
          ReliabilityClose.shutdownWithin(engine, Duration.ofSeconds(5), Duration.ofSeconds(15));
      assertThat(report.abandonedInvocations()).isZero();
      Totals totals = audit(engine, report, ledger, sent);
      assertThat(totals.sent()).as("a meaningful load").isGreaterThan(10_000);
      assertThat(totals.acked()).isPositive();
      assertThat(engine.stats("orders").retried()).as("the retry path was exercised").isPositive();
      print("load", totals);
    } finally {
      producers.shutdownNow();
      async.shutdownNow();
    }
  }

  /** Prints a run's totals for docs/RELIABILITY.md (the figures are not asserted). */
  static void print(String run, Totals totals) {
    System.out.println("[reliability] " + run + ": " + totals);
  }
}

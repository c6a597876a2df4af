package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Real threads: several producers, a consumer running several batches at once, random failures.
 * Every message must end exactly once (acked, dead-lettered or dropped), never after more than
 * {@code maxRetries + 1} deliveries, and the counters must add up.
 */
class StressTest {
  private static final int PRODUCERS = 4;
  private static final int PER_PRODUCER = 25_000;
  private static final int TOTAL = PRODUCERS * PER_PRODUCER;
  private static final int MAX_RETRIES = 2;

  @Test
  void everyMessageIsAccountedForExactlyOnce() throws Exception {
    Map<String, String> ends = new ConcurrentHashMap<>();
    AtomicInteger duplicateEnds = new AtomicInteger();
    CountDownLatch allEnded = new CountDownLatch(TOTAL);
    QueueListener listener = event -> {
      String end = null;
      if (event instanceof QueueEvent.Acked a) {
        end = a.messageId();
      } else if (event instanceof QueueEvent.DeadLettered d) {
        end = d.messageId();
      } else if (event instanceof QueueEvent.Dropped d) {
        end = d.messageId();
      }
      if (end != null && event.queue().equals("work")) {
        if (ends.putIfAbsent(end, event.getClass().getSimpleName()) != null) {
          duplicateEnds.incrementAndGet();
        }
        allEnded.countDown();
      }
    };
    Map<String, Integer> maxAttempts = new ConcurrentHashMap<>();
    QueueEngine engine = QueueEngine.builder().listener(listener).build();
    try {
      engine.declareQueue("work");
      engine.consume("work", Integer.class,
          ConsumerSettings.builder().maxBatchSize(50).maxBatchTimeout(Duration.ZERO)
              .maxRetries(MAX_RETRIES).maxConcurrency(4).deadLetterQueue("dead").build(),
          (batch, ctx) -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (Message<Integer> m : batch.messages()) {
              maxAttempts.merge(m.id(), m.attempts(), Math::max);
              int roll = random.nextInt(100);
              if (roll < 10) {
                m.retry();
              } else if (roll < 15) {
                m.ack();
              }
            }
            if (random.nextInt(20) == 0) {
              throw new IllegalStateException("random failure");
            }
          });
      ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int producer = p;
        done.add(producers.submit(() -> {
          Queue<Integer> work = engine.queue("work");
          SplittableRandom random = new SplittableRandom(producer);
          int i = 0;
          while (i < PER_PRODUCER) {
            if (random.nextBoolean()) {
              work.send(producer * PER_PRODUCER + i++).join();
            } else {
              int n = Math.min(1 + random.nextInt(100), PER_PRODUCER - i);
              List<MessageSendRequest<Integer>> batch = new ArrayList<>(n);
              for (int k = 0; k < n; k++) {
                batch.add(MessageSendRequest.of(producer * PER_PRODUCER + i++));
              }
              work.sendBatch(batch).join();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      producers.shutdown();
      assertThat(allEnded.await(60, TimeUnit.SECONDS))
          .as("%s of %s messages ended", TOTAL - allEnded.getCount(), TOTAL).isTrue();
    } finally {
      assertThat(engine.shutdown(Duration.ofSeconds(5)).abandonedInvocations()).isZero();
    }
    QueueStats stats = engine.stats("work");
    assertThat(duplicateEnds.get()).isZero();
    assertThat(ends).hasSize(TOTAL);
    assertThat(stats.sent()).isEqualTo(TOTAL);
    assertThat(stats.acked() + stats.deadLettered() + stats.dropped()).isEqualTo(TOTAL);
    assertThat(stats.metrics().backlogCount()).isZero();
    assertThat(stats.deliveries()).isEqualTo(TOTAL + stats.retried());
    assertThat(maxAttempts.values()).allSatisfy(a -> assertThat(a).isLessThanOrEqualTo(MAX_RETRIES + 1));
    assertThat(engine.stats("dead").metrics().backlogCount()).isEqualTo(stats.deadLettered());
  }
}

package io.queues4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Engines on one schema share their queues: a send on one is delivered by another. */
class EnginesSharingTest {

  private static QueueEngine engine(String schema) {
    return QueueEngine.builder()
        .store(PostgresStore.builder(TestDatabase.dataSource()).schema(schema).build())
        .build();
  }

  @Test
  void messagesSentOnOneEngineAreDeliveredOnceByTheConsumersOfTwoOthers() throws Exception {
    String schema = TestDatabase.freshSchema();
    int total = 1_000;
    Map<Integer, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    CountDownLatch all = new CountDownLatch(total);
    ConsumerSettings settings = ConsumerSettings.builder().maxBatchSize(20)
        .maxBatchTimeout(Duration.ofMillis(20)).maxConcurrency(2).build();
    try (QueueEngine producer = engine(schema);
        QueueEngine first = engine(schema);
        QueueEngine second = engine(schema)) {
      for (QueueEngine e : List.of(producer, first, second)) {
        e.declareQueue("jobs");
      }
      for (QueueEngine consumer : List.of(first, second)) {
        consumer.consume("jobs", Integer.class, settings, (batch, ctx) -> {
          for (Message<Integer> m : batch.messages()) {
            if (deliveries.computeIfAbsent(m.body(), k -> new AtomicInteger()).incrementAndGet()
                == 1) {
              all.countDown();
            }
          }
        });
      }
      Queue<Integer> jobs = producer.queue("jobs");
      for (int i = 0; i < total; i += 50) {
        List<MessageSendRequest<Integer>> batch = new ArrayList<>();
        for (int j = i; j < i + 50; j++) {
          batch.add(MessageSendRequest.of(j));
        }
        jobs.sendBatch(batch).join();
      }
      assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(deliveries).hasSize(total);
      assertThat(deliveries.values()).allSatisfy(n -> assertThat(n).hasValue(1));
      // counted once each settlement has committed, just after its handler returned
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
          first.stats("jobs").acked() + second.stats("jobs").acked() == total);
      assertThat(first.stats("jobs").acked()).as("both consumers took part").isPositive();
      assertThat(second.stats("jobs").acked()).isPositive();
    }
  }

  @Test
  void aSendWakesAnIdleConsumerOfAnotherEngineWithinMilliseconds() throws Exception {
    String schema = TestDatabase.freshSchema();
    try (QueueEngine producer = engine(schema); QueueEngine consumer = engine(schema)) {
      producer.declareQueue("ping");
      consumer.declareQueue("ping");
      CountDownLatch[] got = {new CountDownLatch(1)};
      long[] received = new long[1];
      consumer.consume("ping", Long.class, ConsumerSettings.builder().maxBatchSize(1).build(),
          (batch, ctx) -> {
            received[0] = System.nanoTime();
            got[0].countDown();
          });
      Queue<Long> ping = producer.queue("ping");
      long[] latencies = new long[21];
      for (int i = 0; i < latencies.length; i++) {
        got[0] = new CountDownLatch(1);
        long sent = System.nanoTime();
        ping.send(sent).join();
        assertThat(got[0].await(10, TimeUnit.SECONDS)).isTrue();
        latencies[i] = received[0] - sent;
      }
      java.util.Arrays.sort(latencies);
      // a poll comes 100 ms after the last at best, 2 s apart once backed off: only a
      // notification makes the median this short
      assertThat(TimeUnit.NANOSECONDS.toMillis(latencies[10])).isLessThan(50);
    }
  }
}

package io.queues4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.queues4j.Message;
import io.queues4j.QueueSendResult;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.FifoQueue;
import io.queues4j.core.QueueEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Three engines (three stores, one schema) send to and consume one FIFO queue with many groups
 * at once: each group's messages are acknowledged exactly in send order although consecutive
 * messages of a group are sent through different engines and some first deliveries fail; no
 * group is ever delivered to two handlers at once (the delivery intervals of a group never
 * overlap); a duplicate sent through another engine is refused and names the original.
 */
class FifoEnginesSharingTest {
  private static final String QUEUE = "orders.fifo";
  private static final int GROUPS = 12;
  private static final int PER_GROUP = 25;

  private record Interval(long start, long end, int engine) {}

  private static QueueEngine engine(String schema) {
    QueueEngine e = QueueEngine.builder()
        .store(PostgresStore.builder(TestDatabase.dataSource()).schema(schema).build())
        .build();
    e.declareQueue(QUEUE);
    return e;
  }

  @Test
  void groupsStayInSendOrderAndOneDeliveryAtATimeAcrossEngines() throws Exception {
    String schema = TestDatabase.freshSchema();
    Map<String, List<String>> acked = new ConcurrentHashMap<>();
    Map<String, List<Interval>> intervals = new ConcurrentHashMap<>();
    List<String> problems = new CopyOnWriteArrayList<>();
    AtomicInteger[] batchesByEngine = {new AtomicInteger(), new AtomicInteger(),
        new AtomicInteger()};
    CountDownLatch all = new CountDownLatch(GROUPS * PER_GROUP);
    ConsumerSettings settings = ConsumerSettings.builder().maxBatchSize(4)
        .maxBatchTimeout(Duration.ZERO).maxConcurrency(4).maxRetries(5).build();
    ExecutorService senders = Executors.newFixedThreadPool(4);
    try (QueueEngine e0 = engine(schema); QueueEngine e1 = engine(schema);
        QueueEngine e2 = engine(schema)) {
      List<QueueEngine> engines = List.of(e0, e1, e2);
      for (int i = 0; i < engines.size(); i++) {
        int engine = i;
        engines.get(i).consume(QUEUE, String.class, settings, (batch, ctx) -> {
          long start = System.nanoTime();
          String group = batch.messages().get(0).groupId().orElseThrow();
          boolean fail = false;
          for (Message<String> m : batch.messages()) {
            if (!group.equals(m.groupId().orElseThrow())) {
              problems.add("a batch of two groups: " + group + ", " + m.groupId());
            }
            // every tenth message fails its first delivery: the group waits for its retry
            fail |= m.attempts() == 1 && m.body().endsWith("3");
          }
          batchesByEngine[engine].incrementAndGet();
          if (!fail) {
            for (Message<String> m : batch.messages()) {
              acked.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>()).add(m.body());
            }
          }
          intervals.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>())
              .add(new Interval(start, System.nanoTime(), engine));
          if (fail) {
            throw new IllegalStateException("provoked failure of a first delivery");
          }
          batch.messages().forEach(m -> all.countDown());
        });
      }
      List<Future<?>> sending = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        sending.add(senders.submit(() -> {
          for (int i = 0; i < PER_GROUP; i++) {
            for (int g = thread; g < GROUPS; g += 4) {
              FifoQueue<String> q = engines.get((g + i) % 3).fifoQueue(QUEUE);
              QueueSendResult r = q.group("g" + g).send("g" + g + ":" + i).join();
              if (r.duplicate()) {
                problems.add("refused as a duplicate: g" + g + ":" + i);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : sending) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(all.await(60, TimeUnit.SECONDS)).as("every message acknowledged").isTrue();
      assertThat(problems).isEmpty();
      for (int g = 0; g < GROUPS; g++) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < PER_GROUP; i++) {
          expected.add("g" + g + ":" + i);
        }
        assertThat(acked.get("g" + g)).as("group g%s acknowledged in send order", g)
            .containsExactlyElementsOf(expected);
      }
      intervals.forEach((group, list) -> {
        List<Interval> sorted = new ArrayList<>(list);
        sorted.sort((a, b) -> Long.compare(a.start(), b.start()));
        for (int i = 1; i < sorted.size(); i++) {
          assertThat(sorted.get(i).start()).as("group %s: delivery %s began before %s ended",
              group, sorted.get(i), sorted.get(i - 1)).isGreaterThan(sorted.get(i - 1).end());
        }
      });
      long engagedEngines = java.util.Arrays.stream(batchesByEngine)
          .filter(n -> n.get() > 0).count();
      assertThat(engagedEngines).as("engines that delivered").isGreaterThanOrEqualTo(2);
    } finally {
      senders.shutdownNow();
    }
  }

  @Test
  void aDuplicateSentThroughAnotherEngineIsRefusedAndNamesTheOriginal() {
    String schema = TestDatabase.freshSchema();
    List<String> delivered = new CopyOnWriteArrayList<>();
    try (QueueEngine e0 = engine(schema); QueueEngine e1 = engine(schema);
        QueueEngine e2 = engine(schema)) {
      QueueSendResult byId = e0.<String>fifoQueue(QUEUE).group("pay").dedupe("order-7")
          .send("charge 10").join();
      QueueSendResult byIdAgain = e1.<String>fifoQueue(QUEUE).group("pay").dedupe("order-7")
          .send("charge 11").join();
      QueueSendResult byBody = e2.<String>fifoQueue(QUEUE).group("pay").send("refund 3").join();
      QueueSendResult byBodyAgain = e0.<String>fifoQueue(QUEUE).group("pay").send("refund 3")
          .join();
      QueueSendResult otherGroup = e1.<String>fifoQueue(QUEUE).group("ship").send("refund 3")
          .join();
      assertThat(byId.duplicate()).isFalse();
      assertThat(byIdAgain.duplicate()).isTrue();
      assertThat(byIdAgain.messageIds()).isEqualTo(byId.messageIds());
      assertThat(byBody.duplicate()).isFalse();
      assertThat(byBodyAgain.duplicate()).isTrue();
      assertThat(byBodyAgain.messageIds()).isEqualTo(byBody.messageIds());
      assertThat(otherGroup.duplicate()).as("deduplication is per group").isFalse();
      e2.consume(QUEUE, String.class, ConsumerSettings.builder().maxBatchSize(10)
          .maxBatchTimeout(Duration.ZERO).build(), (batch, ctx) ->
          batch.messages().forEach(m -> delivered.add(m.body())));
      await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() >= 3);
      QueueSendResult afterDelivery = e1.<String>fifoQueue(QUEUE).group("pay").dedupe("order-7")
          .send("charge 12").join();
      assertThat(afterDelivery.duplicate()).as("the record outlives the message").isTrue();
      assertThat(delivered).containsExactlyInAnyOrder("charge 10", "refund 3", "refund 3");
      assertThat(e0.stats(QUEUE).deduplicated() + e1.stats(QUEUE).deduplicated()
          + e2.stats(QUEUE).deduplicated()).isEqualTo(3);
    }
  }
}

package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FIFO queues with real threads: producers racing on the same groups, a consumer with 1 to 250
 * concurrent invocations; a group is never handled by two invocations at once, and each group's
 * messages are handled in the order the queue accepted them.
 */
class FifoConcurrencyTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 8, 250})
  void oneInvocationPerGroupAtATimeInAcceptedOrder(int maxConcurrency) throws Exception {
    int producers = 4;
    int perProducer = 500;
    int groups = 20;
    Set<String> busy = ConcurrentHashMap.newKeySet();
    List<String> violations = new CopyOnWriteArrayList<>();
    Map<String, List<Long>> handled = new ConcurrentHashMap<>();
    CountDownLatch all = new CountDownLatch(producers * perProducer);
    ExecutorService senders = Executors.newFixedThreadPool(producers);
    try (QueueEngine engine = QueueEngine.builder().build()) {
      engine.declareQueue("c.fifo");
      engine.consume("c.fifo", String.class, ConsumerSettings.builder().maxBatchSize(5)
          .maxConcurrency(maxConcurrency).maxBatchTimeout(Duration.ZERO).build(), (batch, ctx) -> {
            String group = batch.messages().get(0).groupId().orElseThrow();
            if (!busy.add(group)) {
              violations.add("group " + group + " handled twice at once");
            }
            try {
              for (Message<String> m : batch.messages()) {
                handled.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>())
                    .add(m.sequenceNumber().orElseThrow());
                all.countDown();
              }
              Thread.onSpinWait();
            } finally {
              busy.remove(group);
            }
          });
      List<Future<?>> sending = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int producer = p;
        sending.add(senders.submit(() -> {
          FifoQueue<String> q = engine.fifoQueue("c.fifo");
          for (int i = 0; i < perProducer; i++) {
            q.group("g" + (i % groups)).send(producer + "-" + i).join();
          }
          return null;
        }));
      }
      for (Future<?> f : sending) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(all.await(60, TimeUnit.SECONDS)).as("every message handled").isTrue();
      assertThat(violations).isEmpty();
      assertThat(handled).hasSize(groups);
      handled.forEach((group, sequence) ->
          assertThat(sequence).as("group %s in accepted order", group).isSorted()
              .doesNotHaveDuplicates());
      assertThat(engine.stats("c.fifo").deduplicated()).isZero();
    } finally {
      senders.shutdownNow();
    }
  }
}

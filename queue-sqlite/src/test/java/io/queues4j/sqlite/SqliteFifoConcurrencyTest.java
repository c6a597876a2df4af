package io.queues4j.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Message;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.FifoQueue;
import io.queues4j.core.QueueEngine;
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
 * A FIFO queue on the SQLite store with its writer thread and group commit (queue-core's
 * FifoConcurrencyTest runs on the in-memory store only): producers racing on shared groups, a
 * consumer with concurrent invocations that retries some messages once (with the rest of their
 * batch). A group is never in two
 * invocations at once; each group's messages are handled in the order the store accepted them
 * (their sequence numbers), each producer's messages of a group in the order it sent them.
 */
class SqliteFifoConcurrencyTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 16})
  void oneBatchPerGroupAtATimeInAcceptedOrder(int maxConcurrency) throws Exception {
    int producers = 4;
    int perProducer = 300;
    int groups = 12;
    Set<String> busy = ConcurrentHashMap.newKeySet();
    List<String> violations = new CopyOnWriteArrayList<>();
    Map<String, List<String>> handled = new ConcurrentHashMap<>();
    Map<String, List<Long>> sequences = new ConcurrentHashMap<>();
    Set<String> retried = ConcurrentHashMap.newKeySet();
    CountDownLatch all = new CountDownLatch(producers * perProducer);
    ExecutorService senders = Executors.newFixedThreadPool(producers);
    SqliteStore store = SqliteStore.builder(TempDatabases.fresh("fifo-concurrency"))
        .durability(SqliteStore.Durability.NORMAL).open();
    try (QueueEngine engine = QueueEngine.builder().store(store).build()) {
      engine.declareQueue("c.fifo");
      engine.consume("c.fifo", String.class, ConsumerSettings.builder().maxBatchSize(5)
          .maxConcurrency(maxConcurrency).maxBatchTimeout(Duration.ZERO)
          .maxRetries(50).build(), // retried with others' batches, never dropped
          (batch, ctx) -> {
            String group = batch.messages().get(0).groupId().orElseThrow();
            if (!busy.add(group)) {
              violations.add("group " + group + " in two invocations at once");
            }
            try {
              boolean retrying = false;
              for (Message<String> m : batch.messages()) {
                // a retried message is first again in its group: retrying the rest of the batch
                // with it keeps the group's order (acking them would put them before it)
                retrying |= m.body().endsWith("7") && retried.add(m.body());
                if (retrying) {
                  m.retry();
                  continue;
                }
                m.ack();
                handled.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>()).add(m.body());
                sequences.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>())
                    .add(m.sequenceNumber().orElseThrow());
                all.countDown();
              }
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
      assertThat(retried).isNotEmpty();
      assertThat(handled).hasSize(groups);
      sequences.forEach((group, sequence) -> assertThat(sequence)
          .as("group %s in accepted order", group).isSorted().doesNotHaveDuplicates());
      handled.forEach((group, bodies) -> {
        for (int p = 0; p < producers; p++) {
          String prefix = p + "-";
          List<Integer> sent = bodies.stream().filter(b -> b.startsWith(prefix))
              .map(b -> Integer.parseInt(b.substring(prefix.length()))).toList();
          assertThat(sent).as("producer %s's messages of group %s, in send order", p, group)
              .isSorted().hasSize(perProducer / groups);
        }
      });
      assertThat(engine.stats("c.fifo").deduplicated()).isZero();
    } finally {
      senders.shutdownNow();
    }
  }
}

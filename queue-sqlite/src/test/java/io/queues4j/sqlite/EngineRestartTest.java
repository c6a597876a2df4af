package io.queues4j.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Queue;
import io.queues4j.QueueSendOptions;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.DeadLetter;
import io.queues4j.core.QueueEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** What one engine leaves in the store, the next one finds: waiting, delayed, dead letters. */
class EngineRestartTest {

  @Test
  void theNextEngineDeliversWhatThePreviousOneLeft() {
    Path file = TempDatabases.fresh("restart");
    long delayedSentAt;
    try (QueueEngine first = QueueEngine.builder().store(SqliteStore.open(file)).build()) {
      first.declareQueue("jobs");
      first.declareQueue("poison");
      first.declareQueue("poison-dlq"); // no consumer: its dead letters are held
      Queue<String> jobs = first.queue("jobs");
      jobs.send("waiting").join();
      delayedSentAt = System.currentTimeMillis();
      jobs.send("delayed", QueueSendOptions.delaySeconds(2)).join();
      first.consume("poison", String.class, ConsumerSettings.builder().maxRetries(0)
          .maxBatchTimeout(Duration.ZERO).deadLetterQueue("poison-dlq").build(), (b, ctx) -> {
            throw new IllegalStateException("poison");
          });
      first.<String>queue("poison").send("bad").join();
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> first.stats("poison-dlq").metrics().backlogCount() == 1);
    }

    try (QueueEngine second = QueueEngine.builder().store(SqliteStore.open(file)).build()) {
      assertThat(second.admin().undeclaredQueues()).containsOnlyKeys("jobs", "poison-dlq");
      second.declareQueue("jobs");
      second.declareQueue("poison-dlq");
      List<DeadLetter> letters = second.deadLetters("poison-dlq");
      assertThat(letters).hasSize(1);
      Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
      second.consume("jobs", String.class, ConsumerSettings.builder()
          .maxBatchTimeout(Duration.ZERO).build(), (b, ctx) -> b.messages()
          .forEach(m -> deliveredAt.put(m.body(), System.currentTimeMillis())));
      Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> deliveredAt.size() == 2);
      assertThat(deliveredAt.get("delayed")).as("a delay keeps its wall-clock meaning")
          .isGreaterThanOrEqualTo(delayedSentAt + 2_000);
    }
  }
}

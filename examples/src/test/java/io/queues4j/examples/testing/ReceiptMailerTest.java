package io.queues4j.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.core.ConsumerSettings;
import io.queues4j.testkit.BatchRunner;
import io.queues4j.testkit.MessageOutcome;
import io.queues4j.testkit.QueueTestKit;
import io.queues4j.testkit.RecordedDelivery;
import io.queues4j.testkit.RecordedOutcome;
import io.queues4j.testkit.TestBatch;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An exponential backoff of up to days, verified in milliseconds. */
class ReceiptMailerTest {

  // @start region=backoff
  @Test
  void backsOffExponentiallyUpToTheDelayLimit() {
    try (QueueTestKit kit = QueueTestKit.create()) {
      kit.declareQueue("receipts");
      kit.consume(
          "receipts",
          OrderPlaced.class,
          ConsumerSettings.builder().maxBatchSize(1).maxRetries(5).maxConcurrency(1).build(),
          new ReceiptMailer(order -> false)); // the mail server is down
      Instant start = kit.now();

      kit.<OrderPlaced>queue("receipts").send(new OrderPlaced("o-1", 1999, "")).join();
      kit.runUntilIdle(); // 2.5 days of retries, instantly

      assertThat(kit.history().outcomes("receipts"))
          .extracting(RecordedOutcome::outcome)
          .containsExactly(
              MessageOutcome.retried(Duration.ofSeconds(30)), // 30^1
              MessageOutcome.retried(Duration.ofSeconds(900)), // 30^2
              MessageOutcome.retried(Duration.ofSeconds(27_000)), // 30^3
              MessageOutcome.retried(Duration.ofSeconds(86_400)), // 30^4, capped at 24 h
              MessageOutcome.retried(Duration.ofSeconds(86_400)),
              MessageOutcome.dropped()); // maxRetries = 5 and no dead-letter queue
      assertThat(kit.history().deliveries("receipts"))
          .extracting(RecordedDelivery::at)
          .containsExactly(
              start,
              start.plusSeconds(30),
              start.plusSeconds(930),
              start.plusSeconds(27_930),
              start.plusSeconds(114_330),
              start.plusSeconds(200_730));
    }
  }
  // @end region=backoff

  @Test
  void theThirdAttemptWaitsSevenAndAHalfHours() {
    var result =
        BatchRunner.create()
            .run(TestBatch.of(new OrderPlaced("o-1", 1, "")).withAttempts(3),
                new ReceiptMailer(order -> false));

    assertThat(result.outcomes()).containsExactly(MessageOutcome.retried(Duration.ofHours(7).plusMinutes(30)));
  }
}

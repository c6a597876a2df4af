package io.queues4j.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.core.ConsumerSettings;
import io.queues4j.testkit.BatchResult;
import io.queues4j.testkit.BatchRunner;
import io.queues4j.testkit.MessageOutcome;
import io.queues4j.testkit.TestBatch;
import io.queues4j.testkit.TestMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Handler unit tests with {@link BatchRunner}: one batch in, one verdict per message out. */
class FraudCheckTest {
  private static final OrderPlaced GOOD = new OrderPlaced("o-1", 1999, "");
  private static final OrderPlaced INVALID = new OrderPlaced("o-2", -5, "");
  private static final OrderPlaced UNRATED = new OrderPlaced("o-3", 700, "");

  // @start region=verdicts
  @Test
  void oneVerdictPerMessage() {
    BatchRunner runner =
        BatchRunner.create(
            ConsumerSettings.builder().maxRetries(3).deadLetterQueue("orders-dlq").build());

    BatchResult<OrderPlaced> result =
        runner.run(TestBatch.of(GOOD, INVALID, UNRATED), FraudCheck.handler(o -> !o.equals(UNRATED)));

    assertThat(result.outcomes())
        .containsExactly(
            MessageOutcome.acked(),
            MessageOutcome.acked(), // poison acknowledged, not retried
            MessageOutcome.retried(Duration.ofSeconds(60)));
  }

  @Test
  void onTheLastAttemptARetryBecomesADeadLetter() {
    BatchRunner runner =
        BatchRunner.create(
            ConsumerSettings.builder().maxRetries(3).deadLetterQueue("orders-dlq").build());
    TestBatch<OrderPlaced> batch =
        new TestBatch<>(
            "orders",
            List.of(
                TestMessage.of("first-try", UNRATED),
                TestMessage.of("fourth-try", UNRATED).withAttempts(4))); // maxRetries + 1

    BatchResult<OrderPlaced> result = runner.run(batch, FraudCheck.handler(o -> false));

    assertThat(result.message("first-try").outcome())
        .isEqualTo(MessageOutcome.retried(Duration.ofSeconds(60)));
    assertThat(result.message("fourth-try").outcome())
        .isEqualTo(MessageOutcome.deadLettered("orders-dlq"));
  }
  // @end region=verdicts
}

package io.queues4j.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.DeadLetter;
import io.queues4j.testkit.MessageOutcome;
import io.queues4j.testkit.QueueTestKit;
import io.queues4j.testkit.RecordedDelivery;
import io.queues4j.testkit.RecordedOutcome;
import io.queues4j.testkit.junit5.QueueTestKitExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Consumer tests on the real engine: retries, retry delays and a dead-letter queue. */
@ExtendWith(QueueTestKitExtension.class)
class PaymentConsumerTest {
  private static final ConsumerSettings SETTINGS =
      ConsumerSettings.builder()
          .maxBatchSize(10)
          .maxBatchTimeout(Duration.ofSeconds(5))
          .maxRetries(2)
          .retryDelay(Duration.ofSeconds(10))
          .deadLetterQueue("payments-dlq")
          .maxConcurrency(1)
          .build();

  // @start region=consumer
  @Test
  void aPaymentThatKeepsFailingEndsInTheDeadLetterQueue(QueueTestKit kit) {
    PaymentGateway down = payment -> { throw new IllegalStateException("gateway down"); };
    kit.declareQueue("payments");
    kit.consume("payments", Payment.class, SETTINGS, new PaymentConsumer(down));
    Instant start = kit.now();

    kit.<Payment>queue("payments").send(new Payment("p-1", 500)).join();
    kit.runUntilIdle(); // batch timeout, 2 retries 10 s apart: no waiting

    assertThat(kit.history().deliveries("payments"))
        .extracting(RecordedDelivery::attempts, RecordedDelivery::at)
        .containsExactly(
            tuple(List.of(1), start.plusSeconds(5)),   // maxBatchTimeout
            tuple(List.of(2), start.plusSeconds(20)),  // + retryDelay + maxBatchTimeout
            tuple(List.of(3), start.plusSeconds(35)));
    assertThat(kit.history().outcomes("payments"))
        .extracting(RecordedOutcome::outcome)
        .containsExactly(
            MessageOutcome.retried(Duration.ofSeconds(10)),
            MessageOutcome.retried(Duration.ofSeconds(10)),
            MessageOutcome.deadLettered("payments-dlq"));
    List<DeadLetter> dead = kit.drainDeadLetters("payments-dlq"); // else strict close fails
    assertThat(dead).singleElement()
        .satisfies(letter -> assertThat(letter.body(Payment.class)).isEqualTo(new Payment("p-1", 500)));
  }
  // @end region=consumer

  @Test
  void capturedPaymentsAreNotRetriedWhenALaterOneFails(QueueTestKit kit) {
    List<String> calls = new ArrayList<>();
    PaymentGateway flaky =
        payment -> {
          calls.add(payment.id());
          if (payment.id().equals("p-2") && Collections.frequency(calls, "p-2") == 1) {
            throw new IllegalStateException("timeout"); // p-2 fails once
          }
        };
    kit.declareQueue("payments");
    kit.consume("payments", Payment.class, SETTINGS, new PaymentConsumer(flaky));

    kit.<Payment>queue("payments").send(new Payment("p-1", 100)).join();
    kit.<Payment>queue("payments").send(new Payment("p-2", 200)).join();
    kit.<Payment>queue("payments").send(new Payment("p-3", 300)).join();
    kit.runUntilIdle();

    assertThat(calls).containsExactly("p-1", "p-2", "p-2", "p-3");
    assertThat(kit.history().deliveredBodies("payments"))
        .containsExactly(
            new Payment("p-1", 100), new Payment("p-2", 200), new Payment("p-3", 300), // batch 1
            new Payment("p-2", 200), new Payment("p-3", 300)); // batch 2: p-1 was acked
    assertThat(kit.stats("payments").acked()).isEqualTo(3);
  }
}

package io.queues4j.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.Message;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.testkit.MessageOutcome;
import io.queues4j.testkit.QueueTestKit;
import io.queues4j.testkit.RecordedOutcome;
import io.queues4j.testkit.junit5.QueueTestKitExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A user's test class on JUnit Jupiter 5.11: the extension injects a kit into each test. */
@ExtendWith(QueueTestKitExtension.class)
class QueueTestKitOnJupiter5Test {
  private static final ConsumerSettings SETTINGS =
      ConsumerSettings.builder().maxBatchSize(10).maxRetries(1).maxConcurrency(1).build();

  private final List<Receipt> mailed = new ArrayList<>();
  private QueueTestKit fromBeforeEach = QueueTestKit.builder().strict(false).build();

  @BeforeEach
  void attachTheConsumer(QueueTestKit kit) {
    fromBeforeEach.close(); // the placeholder
    fromBeforeEach = kit;
    kit.declareQueue("receipts");
    kit.consume(
        "receipts",
        Receipt.class,
        SETTINGS,
        (batch, ctx) -> {
          for (Message<Receipt> message : batch.messages()) {
            mailed.add(message.body());
          }
        });
  }

  @Test
  void runsOnJupiter5WhereStoreComputeIfAbsentDoesNotExist() {
    // The 6.0 method the extension used to call; on 5.x it is missing (NoSuchMethodError).
    assertThatThrownBy(
            () ->
                ExtensionContext.Store.class.getMethod(
                    "computeIfAbsent", Object.class, Function.class, Class.class))
        .isInstanceOf(NoSuchMethodException.class);
    assertThat(Test.class.getPackage().getImplementationVersion()).startsWith("5.11.");
  }

  @Test
  void sendRunUntilIdleAndAssert(QueueTestKit kit) {
    assertThat(kit).isSameAs(fromBeforeEach);

    kit.<Receipt>queue("receipts").send(new Receipt("o-1", 1999)).join();
    kit.<Receipt>queue("receipts").send(new Receipt("o-2", 500)).join();
    kit.runUntilIdle();

    assertThat(mailed).containsExactly(new Receipt("o-1", 1999), new Receipt("o-2", 500));
    assertThat(kit.history().outcomes("receipts"))
        .extracting(RecordedOutcome::outcome)
        .containsExactly(MessageOutcome.acked(), MessageOutcome.acked());
    assertThat(kit.now()).isEqualTo(kit.clock().instant());
    assertThat(kit.history().deliveries("receipts")).hasSize(1);
    assertThat(Duration.between(kit.history().sends("receipts").get(0).at(), kit.now()))
        .isEqualTo(SETTINGS.maxBatchTimeout());
  }
}

package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings are values: defaults as documented, equality, derivation, readable text. */
class SettingsTest {

  @Test
  void consumerDefaultsAreWranglers() {
    ConsumerSettings d = ConsumerSettings.defaults();
    assertThat(d.maxBatchSize()).isEqualTo(10);
    assertThat(d.maxBatchTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.maxRetries()).isEqualTo(3);
    assertThat(d.retryDelay()).isZero();
    assertThat(d.deadLetterQueue()).isEmpty();
    assertThat(d.maxConcurrency()).as("left to the engine's default").isEmpty();
    assertThat(d.handlerTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d).hasToString("ConsumerSettings{}");
  }

  @Test
  void toBuilderDerivesAndToStringListsOnlyWhatDiffers() {
    ConsumerSettings custom =
        ConsumerSettings.defaults().toBuilder().maxRetries(0).deadLetterQueue("dlq").build();
    assertThat(custom).hasToString("ConsumerSettings{maxRetries=0, deadLetterQueue=dlq}");
    assertThat(custom.toBuilder().build()).isEqualTo(custom).hasSameHashCodeAs(custom);
    assertThat(custom).isNotEqualTo(ConsumerSettings.defaults());
  }

  @Test
  void queueDefaultsAndLimits() {
    QueueSettings d = QueueSettings.defaults();
    assertThat(d.deliveryDelay()).isZero();
    assertThat(d.deadLetterCapacity()).isEqualTo(10_000);
    assertThat(d.retentionPeriod()).isEqualTo(Duration.ofDays(4));
    assertThat(d.maxBacklogBytes()).isEqualTo(Long.MAX_VALUE);
    assertThat(QueueLimits.cloudflare().maxMessageBytes()).isEqualTo(128_000);
    assertThat(QueueLimits.cloudflare().maxBatchBytes()).isEqualTo(256_000);
    assertThat(QueueLimits.cloudflare().maxBatchMessages()).isEqualTo(100);
    assertThat(d.toBuilder().build()).isEqualTo(d);
  }

  @Test
  void redeclaringAQueueWithEqualSettingsIsANoOp() {
    try (EngineFixture fx = new EngineFixture()) {
      QueueSettings settings = QueueSettings.builder().deadLetterCapacity(5).build();
      fx.engine.declareQueue("q", settings);
      fx.engine.declareQueue("q", QueueSettings.builder().deadLetterCapacity(5).build());
      fx.engine.<String>queue("q").send("kept").join();
      fx.engine.declareQueue("q", settings);
      assertThat(fx.engine.stats("q").metrics().backlogCount()).isEqualTo(1);
    }
  }
}

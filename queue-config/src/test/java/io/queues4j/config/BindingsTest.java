package io.queues4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.Message;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import io.queues4j.core.QueueSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link QueueConfig#applyTo} on a real engine: declared queues, bindings that send to them. */
class BindingsTest {

  private static final String TWO_QUEUES =
      """
      [[queues.producers]]
      binding = "JOBS"
      queue = "jobs"

      [[queues.producers]]
      binding = "EMAILS"
      queue = "emails"

      [[queues.consumers]]
      queue = "jobs"
      max_batch_size = 2
      max_batch_timeout = 0
      dead_letter_queue = "jobs-dlq"

      [queues4j.queues.emails]
      delivery_delay = 3600
      """;

  private static QueueConfig config() {
    return ConfigLoader.builder()
        .build()
        .parse(TWO_QUEUES, ConfigFormat.WRANGLER_TOML, "wrangler.toml");
  }

  @Test
  void bindingsSendToTheirQueues() throws Exception {
    QueueConfig config = config();
    try (QueueEngine engine = QueueEngine.builder().build()) {
      Bindings env = config.applyTo(engine);

      env.<String>binding("JOBS").send("a").join();
      env.<String>binding("EMAILS").send("b").join();
      env.<String>binding("EMAILS").send("c").join();

      assertThat(engine.stats("jobs").sent()).isEqualTo(1);
      assertThat(engine.stats("emails").sent()).isEqualTo(2);
      assertThat(engine.stats("jobs-dlq").sent()).isZero();
      assertThat(env.names()).containsExactly(
          java.util.Map.entry("JOBS", "jobs"), java.util.Map.entry("EMAILS", "emails"));
    }
  }

  @Test
  void declaredSettingsReachTheEngine() {
    QueueConfig config = config();
    try (QueueEngine engine = QueueEngine.builder().build()) {
      config.applyTo(engine);

      // Declaring with equal settings is a no-op; with other settings the engine refuses.
      engine.declareQueue(
          "emails", QueueSettings.builder().deliveryDelay(Duration.ofHours(1)).build());
      assertThatThrownBy(() -> engine.declareQueue("emails"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already declared");
      engine.declareQueue("jobs-dlq"); // default settings, as the file declares it
    }
  }

  @Test
  void consumerSettingsAttachAConsumerAsTheFileSays() throws Exception {
    QueueConfig config = config();
    try (QueueEngine engine = QueueEngine.builder().build()) {
      Bindings env = config.applyTo(engine);
      List<List<String>> batches = new CopyOnWriteArrayList<>();
      CountDownLatch threeMessages = new CountDownLatch(3);
      engine.consume(
          "jobs",
          String.class,
          config.consumerSettings("jobs"),
          (batch, ctx) -> {
            batches.add(batch.messages().stream().map(Message::body).toList());
            batch.messages().forEach(m -> threeMessages.countDown());
          });

      env.<String>binding("JOBS").send("1").join();
      env.<String>binding("JOBS").send("2").join();
      env.<String>binding("JOBS").send("3").join();

      assertThat(threeMessages.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(2));
      assertThat(batches.stream().flatMap(List::stream)).containsExactlyInAnyOrder("1", "2", "3");
      assertThat(config.consumerSettings("jobs"))
          .isEqualTo(
              ConsumerSettings.builder()
                  .maxBatchSize(2)
                  .maxBatchTimeout(Duration.ZERO)
                  .deadLetterQueue("jobs-dlq")
                  .build());
    }
  }

  @Test
  void anUnknownBindingOrConsumerIsAnErrorWithASuggestion() {
    QueueConfig config = config();
    try (QueueEngine engine = QueueEngine.builder().build()) {
      Bindings env = config.applyTo(engine);

      assertThatThrownBy(() -> env.binding("JOB"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "wrangler.toml declares no binding 'JOB' (did you mean \"JOBS\"?); declared"
                  + " bindings: [JOBS, EMAILS]");
      assertThatThrownBy(() -> config.consumerSettings("emails"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "wrangler.toml declares no consumer for queue 'emails'; declared consumers: [jobs]");
    }
  }

  @Test
  void applyingToAClosedEngineFails() {
    QueueEngine engine = QueueEngine.builder().build();
    engine.close();

    assertThatThrownBy(() -> config().applyTo(engine))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}

package io.queues4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Unknown keys warn in lenient mode and fail in strict mode; other warnings never fail. */
class UnknownKeysAndWarningsTest {

  private static final String TYPO =
      """
      [[queues.consumers]]
      queue = "jobs"
      max_batch_sise = 50
      maxRetries = 2
      colour = "blue"
      """;

  @Test
  void lenientModeWarnsAboutUnknownKeysWithTheClosestKey() {
    QueueConfig config =
        ConfigLoader.builder().build().parse(TYPO, ConfigFormat.WRANGLER_TOML, "wrangler.toml");

    assertThat(config.consumerSettings("jobs").maxBatchSize()).isEqualTo(10); // typo ignored
    assertThat(config.warnings())
        .extracting(Problem::toString)
        .containsExactly(
            "wrangler.toml:3:1: queues.consumers[0].max_batch_sise: unknown key"
                + " \"max_batch_sise\"; did you mean \"max_batch_size\"? (known keys: queue, type,"
                + " max_batch_size, max_batch_timeout, max_retries, dead_letter_queue,"
                + " max_concurrency, visibility_timeout_ms, retry_delay); ignored",
            "wrangler.toml:4:1: queues.consumers[0].maxRetries: unknown key \"maxRetries\"; did"
                + " you mean \"max_retries\"? (known keys: queue, type, max_batch_size,"
                + " max_batch_timeout, max_retries, dead_letter_queue, max_concurrency,"
                + " visibility_timeout_ms, retry_delay); ignored",
            "wrangler.toml:5:1: queues.consumers[0].colour: unknown key \"colour\" (known keys:"
                + " queue, type, max_batch_size, max_batch_timeout, max_retries,"
                + " dead_letter_queue, max_concurrency, visibility_timeout_ms, retry_delay);"
                + " ignored");
  }

  @Test
  void strictModeFailsWithEveryUnknownKey() {
    ConfigLoader strict = ConfigLoader.builder().strict(true).build();

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> strict.parse(TYPO, ConfigFormat.WRANGLER_TOML, "wrangler.toml"));

    assertThat(e.problems())
        .extracting(Problem::path)
        .containsExactly(
            "queues.consumers[0].max_batch_sise",
            "queues.consumers[0].maxRetries",
            "queues.consumers[0].colour");
    assertThat(e.problems()).extracting(Problem::line).containsExactly(3, 4, 5);
    assertThat(e.getMessage()).startsWith("wrangler.toml is invalid (3 problems):");
  }

  @Test
  void everyQueuesTableChecksItsKeys() {
    String toml =
        """
        [queues]
        producer = []
        [[queues.producers]]
        binding = "JOBS"
        queue = "jobs"
        bindings = "x"
        [queues4j]
        profil = "wdl"
        [queues4j.queues.jobs]
        delivery_dely = 5
        [queues4j.consumers.jobs]
        handler_timout = 5
        [[queues.consumers]]
        queue = "jobs"
        """;

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                ConfigLoader.builder()
                    .strict(true)
                    .build()
                    .parse(toml, ConfigFormat.WRANGLER_TOML, "wrangler.toml"));

    assertThat(e.getMessage())
        .contains("queues.producer: unknown key \"producer\"; did you mean \"producers\"?")
        .contains("queues.producers[0].bindings: unknown key \"bindings\"; did you mean"
            + " \"binding\"?")
        .contains("queues4j.profil: unknown key \"profil\"; did you mean \"profile\"?")
        .contains("queues4j.queues.jobs.delivery_dely: unknown key \"delivery_dely\"; did you"
            + " mean \"delivery_delay\"?")
        .contains("queues4j.consumers.jobs.handler_timout: unknown key \"handler_timout\"; did"
            + " you mean \"handler_timeout\"?");
    assertThat(e.problems()).hasSize(5);
  }

  @Test
  void aMisspeltQueuesTableIsFlaggedButOtherWranglerKeysAreNot() {
    String toml =
        """
        name = "worker"
        main = "src/index.ts"
        compatibility_date = "2026-01-01"
        [[kv_namespaces]]
        binding = "STATE"
        id = "abc"
        [[queue.producers]]
        binding = "JOBS"
        queue = "jobs"
        """;

    QueueConfig config =
        ConfigLoader.builder().build().parse(toml, ConfigFormat.WRANGLER_TOML, "wrangler.toml");

    assertThat(config.producers()).isEmpty();
    assertThat(config.warnings()).singleElement().satisfies(w -> {
      assertThat(w.path()).isEqualTo("queue");
      assertThat(w.line()).isEqualTo(7);
      assertThat(w.message()).contains("did you mean \"queues\"?");
    });
  }

  @Test
  void deliveryDelayOnAProducerIsDeprecatedAndIgnored() {
    String toml =
        """
        [[queues.producers]]
        binding = "JOBS"
        queue = "jobs"
        delivery_delay = 60
        """;

    QueueConfig config =
        ConfigLoader.builder()
            .strict(true) // a deprecation is not an unknown key: strict mode still loads
            .build()
            .parse(toml, ConfigFormat.WRANGLER_TOML, "wrangler.toml");

    assertThat(config.queues().get("jobs")).isEqualTo(io.queues4j.core.QueueSettings.defaults());
    assertThat(config.warnings()).singleElement().satisfies(w -> {
      assertThat(w.line()).isEqualTo(4);
      assertThat(w.path()).isEqualTo("queues.producers[0].delivery_delay");
      assertThat(w.message())
          .contains("\"delivery_delay\" in a producer binding is deprecated and has no effect")
          .contains("\"wrangler queues update\"")
          .contains("[queues4j.queues.jobs] delivery_delay");
    });
  }

  @Test
  void keysWithoutEffectOnTheConsumerTypeWarn() {
    String toml =
        """
        [[queues.consumers]]
        queue = "push"
        visibility_timeout_ms = 1000
        [[queues.consumers]]
        queue = "pull"
        type = "http_pull"
        max_batch_timeout = 3
        max_concurrency = 4
        """;

    QueueConfig config =
        ConfigLoader.builder().build().parse(toml, ConfigFormat.WRANGLER_TOML, "wrangler.toml");

    assertThat(config.warnings())
        .extracting(Problem::path)
        .containsExactly(
            "queues.consumers[0].visibility_timeout_ms",
            "queues.consumers[1].max_batch_timeout",
            "queues.consumers[1].max_concurrency");
    assertThat(Fixtures.at(config.consumers(), "push").visibilityTimeout()).isEmpty();
    assertThat(config.consumerSettings("pull").maxBatchTimeout())
        .isEqualTo(io.queues4j.core.ConsumerSettings.defaults().maxBatchTimeout());
  }

  @Test
  void w7sObjectsCheckTheirKeysButNotW7sOwnTopLevelKeys() {
    String json =
        """
        {"name": "app", "bindings": {"kv": ["STATE"]},
         "queues": [{"name": "jobs", "path": "/q"}],
         "queue": {"allow": ["w7s-io"], "deny": []}}
        """;

    QueueConfig config =
        ConfigLoader.builder().build().parse(json, ConfigFormat.W7S_JSON, "w7s.json");

    assertThat(config.warnings()).extracting(Problem::message)
        .satisfiesExactly(
            m -> assertThat(m).startsWith("unknown key \"path\""),
            m -> assertThat(m).startsWith("unknown key \"deny\""));
    assertThat(config.warnings()).extracting(Problem::line).containsExactly(2, 3);
    assertThat(List.copyOf(config.allowlist())).hasSize(1);
  }
}

package io.queues4j.config;

import static io.queues4j.config.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueSettings;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Files from the seeds and Cloudflare's documentation load unchanged and declare what they say. */
class GoodFilesTest {

  private static final ConfigLoader LOADER = ConfigLoader.builder().build();

  /** The wrangler.toml of seed 002 (WDL runtime), byte for byte. */
  static final String SEED_002_WRANGLER_TOML =
      """
      [[queues.producers]]
      binding = "JOBS"
      queue = "jobs"
      [[queues.consumers]]
      queue = "jobs"
      max_batch_size = 10
      max_batch_timeout = 5
      max_retries = 3
      retry_delay = 10""";

  @Test
  void seed002WranglerTomlDeclaresItsProducerAndConsumer() {
    QueueConfig config = LOADER.parse(SEED_002_WRANGLER_TOML, ConfigFormat.WRANGLER_TOML, "wrangler.toml");

    assertThat(config.producers()).containsExactly(java.util.Map.entry("JOBS", "jobs"));
    assertThat(config.queues()).containsOnlyKeys("jobs");
    assertThat(at(config.queues(), "jobs")).isEqualTo(QueueSettings.defaults());
    ConsumerDeclaration jobs = at(config.consumers(), "jobs");
    assertThat(jobs.type()).isEqualTo(ConsumerType.WORKER);
    assertThat(jobs.visibilityTimeout()).isEmpty();
    assertThat(jobs.path()).isEmpty();
    ConsumerSettings s = config.consumerSettings("jobs");
    assertThat(s.maxBatchSize()).isEqualTo(10);
    assertThat(s.maxBatchTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.maxRetries()).isEqualTo(3);
    assertThat(s.retryDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.deadLetterQueue()).isEmpty();
    assertThat(s.maxConcurrency()).isEqualTo(ConsumerSettings.defaults().maxConcurrency());
    assertThat(s.handlerTimeout()).isEqualTo(ConsumerSettings.defaults().handlerTimeout());
    assertThat(s).isEqualTo(ConsumerSettings.builder().retryDelay(Duration.ofSeconds(10)).build());
    assertThat(config.warnings()).isEmpty();
    assertThat(config.allowlist()).isEmpty();
    assertThat(config.profile()).isEqualTo(ConfigProfile.CLOUDFLARE);
    assertThat(config.environment()).isEmpty();
    assertThat(config.format()).isEqualTo(ConfigFormat.WRANGLER_TOML);
    assertThat(config.source()).isEqualTo("wrangler.toml");
  }

  @Test
  void seed002UnderTheWdlProfileHoldsTenThousandDeadLetters() {
    QueueConfig config =
        ConfigLoader.builder()
            .profile(ConfigProfile.WDL)
            .build()
            .parse(SEED_002_WRANGLER_TOML, ConfigFormat.WRANGLER_TOML, "wrangler.toml");

    assertThat(config.profile()).isEqualTo(ConfigProfile.WDL);
    assertThat(at(config.queues(), "jobs").deadLetterCapacity()).isEqualTo(10_000);
    assertThat(config.consumerSettings("jobs").maxRetries()).isEqualTo(3);
  }

  @Test
  void cloudflaresDocumentedConsumerExampleLoads() {
    String toml =
        """
        [[queues.consumers]]
          queue = "my-queue"
          max_batch_size = 10
          max_batch_timeout = 30
          max_retries = 10
          dead_letter_queue = "my-queue-dlq"
        """;

    QueueConfig config = LOADER.parse(toml, ConfigFormat.WRANGLER_TOML, "wrangler.toml");

    assertThat(config.queues()).containsOnlyKeys("my-queue", "my-queue-dlq");
    ConsumerSettings s = config.consumerSettings("my-queue");
    assertThat(s.maxBatchSize()).isEqualTo(10);
    assertThat(s.maxBatchTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.maxRetries()).isEqualTo(10);
    assertThat(s.deadLetterQueue()).contains("my-queue-dlq");
    assertThat(s.retryDelay()).isZero();
    assertThat(config.producers()).isEmpty();
  }

  @Test
  void everyConsumerKeyIsRead() {
    String toml =
        """
        [[queues.consumers]]
        queue = "orders"
        type = "worker"
        max_batch_size = 100
        max_batch_timeout = 0.25
        max_retries = 0
        dead_letter_queue = "orders-dlq"
        max_concurrency = 250
        retry_delay = 86400
        """;

    ConsumerSettings s =
        LOADER.parse(toml, ConfigFormat.WRANGLER_TOML, "wrangler.toml").consumerSettings("orders");

    assertThat(s)
        .isEqualTo(
            ConsumerSettings.builder()
                .maxBatchSize(100)
                .maxBatchTimeout(Duration.ofMillis(250))
                .maxRetries(0)
                .deadLetterQueue("orders-dlq")
                .maxConcurrency(250)
                .retryDelay(Duration.ofDays(1))
                .build());
  }

  @Test
  void pullConsumersKeepTypeVisibilityTimeoutAndBatchSize() {
    String toml =
        """
        [[queues.consumers]]
        queue = "exports"
        type = "http_pull"
        visibility_timeout_ms = 5000
        max_batch_size = 50
        max_retries = 5
        dead_letter_queue = "exports-dlq"

        [[queues.consumers]]
        queue = "imports"
        type = "http_pull"
        """;

    QueueConfig config = LOADER.parse(toml, ConfigFormat.WRANGLER_TOML, "wrangler.toml");

    ConsumerDeclaration exports = at(config.consumers(), "exports");
    assertThat(exports.type()).isEqualTo(ConsumerType.HTTP_PULL);
    assertThat(exports.visibilityTimeout()).contains(Duration.ofSeconds(5));
    assertThat(exports.settings().maxBatchSize()).isEqualTo(50);
    assertThat(exports.settings().maxRetries()).isEqualTo(5);
    assertThat(exports.settings().deadLetterQueue()).contains("exports-dlq");
    assertThat(at(config.consumers(), "imports").visibilityTimeout())
        .contains(Duration.ofSeconds(30));
    assertThat(config.queues()).containsOnlyKeys("exports", "exports-dlq", "imports");
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void theQueues4jTableSetsQueueLevelSettingsAndHandlerTimeouts() {
    String toml =
        """
        [[queues.producers]]
        binding = "JOBS"
        queue = "jobs"

        [[queues.consumers]]
        queue = "jobs"
        dead_letter_queue = "jobs-dlq"

        [queues4j.queues.jobs]
        delivery_delay = 30
        message_retention_period = 345600
        max_backlog_bytes = 10000000
        max_backlog_messages = 100000

        [queues4j.queues.jobs-dlq]
        dead_letter_capacity = 500
        message_retention_period = 1209600

        [queues4j.queues.audit]
        delivery_delay = 0

        [queues4j.consumers.jobs]
        handler_timeout = 1.5
        """;

    QueueConfig config = LOADER.parse(toml, ConfigFormat.WRANGLER_TOML, "wrangler.toml");

    assertThat(config.queues()).containsOnlyKeys("jobs", "jobs-dlq", "audit");
    assertThat(at(config.queues(), "jobs"))
        .isEqualTo(
            QueueSettings.builder()
                .deliveryDelay(Duration.ofSeconds(30))
                .retentionPeriod(Duration.ofDays(4))
                .maxBacklogBytes(10_000_000)
                .maxBacklogMessages(100_000)
                .build());
    assertThat(at(config.queues(), "jobs-dlq"))
        .isEqualTo(
            QueueSettings.builder()
                .deadLetterCapacity(500)
                .retentionPeriod(Duration.ofDays(14))
                .build());
    assertThat(at(config.queues(), "audit")).isEqualTo(QueueSettings.defaults());
    assertThat(config.consumerSettings("jobs").handlerTimeout()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void seed000SimplestW7sFileDeclaresJobsWithW7sDefaults() {
    QueueConfig config =
        LOADER.parse(
            """
            {
            "queues": ["jobs"]
            }""",
            ConfigFormat.W7S_JSON,
            "w7s.json");

    ConsumerDeclaration jobs = at(config.consumers(), "jobs");
    assertThat(jobs.path()).contains("/_w7s/queues/jobs");
    assertThat(jobs.type()).isEqualTo(ConsumerType.WORKER);
    assertThat(jobs.visibilityTimeout()).isEmpty();
    ConsumerSettings s = jobs.settings();
    assertThat(s.maxBatchSize()).isEqualTo(10);
    assertThat(s.maxRetries()).isEqualTo(3);
    assertThat(s.retryDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.maxBatchTimeout()).isEqualTo(ConsumerSettings.defaults().maxBatchTimeout());
    assertThat(s.deadLetterQueue()).isEmpty();
    assertThat(config.queues()).containsOnlyKeys("jobs");
    assertThat(config.producers()).isEmpty();
    assertThat(config.format()).isEqualTo(ConfigFormat.W7S_JSON);
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void seed000ConsumerPathAndSeparateConsumerFilesLoad() {
    QueueConfig emails =
        LOADER.parse(
            """
            {
            "queues": [
            {
            "name": "emails",
            "consumer": "/internal/queues/emails"
            }
            ]
            }""",
            ConfigFormat.W7S_JSON,
            "w7s.json");
    QueueConfig consumer =
        LOADER.parse(
            """
            {
            "bindings": {
            "kv": ["STATE"]
            },
            "queues": ["jobs"]
            }""",
            ConfigFormat.W7S_JSON,
            "w7s.json");

    assertThat(at(emails.consumers(), "emails").path()).contains("/internal/queues/emails");
    assertThat(emails.consumerSettings("emails").retryDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(consumer.consumers()).containsOnlyKeys("jobs");
    assertThat(consumer.warnings()).isEmpty(); // "bindings" is W7S's business
  }

  @Test
  void seed000AllowlistsLoad() {
    QueueConfig repo =
        LOADER.parse(
            """
            {
            "queue": {
            "allow": ["guerrerocarlos/nodepad"]
            }
            }""",
            ConfigFormat.W7S_JSON,
            "w7s.json");
    QueueConfig owner =
        LOADER.parse(
            "{\"queue\": {\"allow\": [\"guerrerocarlos\", \"w7s-io\"]}}",
            ConfigFormat.W7S_JSON,
            "w7s.json");

    assertThat(repo.allowlist())
        .containsExactly(new AllowEntry("guerrerocarlos", Optional.of("nodepad")));
    assertThat(repo.allowlist().get(0).allows("guerrerocarlos", "nodepad")).isTrue();
    assertThat(repo.allowlist().get(0).allows("guerrerocarlos", "other")).isFalse();
    assertThat(owner.allowlist()).extracting(AllowEntry::toString)
        .containsExactly("guerrerocarlos", "w7s-io");
    assertThat(owner.allowlist().get(1).allows("W7S-IO", "anything")).isTrue();
    assertThat(owner.allowlist().get(1).allows("w7s", "anything")).isFalse();
    assertThat(owner.queues()).isEmpty();
  }

  @Test
  void w7sQueueObjectsTakeWranglersSettingKeys() {
    QueueConfig config =
        LOADER.parse(
            """
            {"queues": [{"name": "jobs", "max_batch_size": 50, "max_retries": 0,
                         "retry_delay": 0, "dead_letter_queue": "jobs-dlq",
                         "max_batch_timeout": 1}]}""",
            ConfigFormat.W7S_JSON,
            "w7s.json");

    assertThat(config.consumerSettings("jobs"))
        .isEqualTo(
            ConsumerSettings.builder()
                .maxBatchSize(50)
                .maxRetries(0)
                .retryDelay(Duration.ZERO)
                .deadLetterQueue("jobs-dlq")
                .maxBatchTimeout(Duration.ofSeconds(1))
                .build());
    assertThat(at(config.consumers(), "jobs").path()).contains("/_w7s/queues/jobs");
    assertThat(config.queues()).containsOnlyKeys("jobs", "jobs-dlq");
  }
}

package io.queues4j.config;

import static io.queues4j.config.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code [env.<name>]}: selected by name; queues are not inherited from the top level. */
class EnvironmentTest {

  private static final String FILE =
      """
      name = "worker"

      [[queues.producers]]
      binding = "JOBS"
      queue = "jobs"

      [[queues.consumers]]
      queue = "jobs"
      max_retries = 3

      [env.staging]
      name = "worker-staging"

      [[env.staging.queues.producers]]
      binding = "JOBS"
      queue = "jobs-staging"

      [[env.staging.queues.consumers]]
      queue = "jobs-staging"
      max_retries = 1
      retry_delay = 5

      [env.production]
      name = "worker-production"
      """;

  private static QueueConfig load(ConfigLoader loader) {
    return loader.parse(FILE, ConfigFormat.WRANGLER_TOML, "wrangler.toml");
  }

  @Test
  void withoutAnEnvironmentTheTopLevelIsRead() {
    QueueConfig config = load(ConfigLoader.builder().build());

    assertThat(config.environment()).isEmpty();
    assertThat(config.producers()).containsEntry("JOBS", "jobs").hasSize(1);
    assertThat(config.consumerSettings("jobs").maxRetries()).isEqualTo(3);
    assertThat(config.queues()).containsOnlyKeys("jobs");
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void aSelectedEnvironmentReplacesTheTopLevelQueues() {
    QueueConfig config = load(ConfigLoader.builder().environment("staging").build());

    assertThat(config.environment()).contains("staging");
    assertThat(config.producers()).containsEntry("JOBS", "jobs-staging").hasSize(1);
    assertThat(config.queues()).containsOnlyKeys("jobs-staging");
    assertThat(config.consumerSettings("jobs-staging").maxRetries()).isEqualTo(1);
    assertThat(config.consumerSettings("jobs-staging").retryDelay())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(config.consumers()).doesNotContainKey("jobs");
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void anEnvironmentWithoutQueuesInheritsNoneAndSaysSo() {
    QueueConfig config = load(ConfigLoader.builder().environment("production").build());

    assertThat(config.queues()).isEmpty();
    assertThat(config.producers()).isEmpty();
    assertThat(config.consumers()).isEmpty();
    assertThat(config.warnings()).singleElement().satisfies(w -> {
      assertThat(w.path()).isEqualTo("env.production");
      assertThat(w.line()).isEqualTo(23); // [env.production]
      assertThat(w.message())
          .contains("\"queues\" is declared at the top level but not in env.production")
          .contains("environments do not inherit it");
    });
  }

  @Test
  void anUnknownEnvironmentFailsNamingTheDefinedOnes() {
    ConfigLoader loader = ConfigLoader.builder().environment("stagin").build();

    assertThatThrownBy(() -> load(loader))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no environment named \"stagin\" (did you mean \"staging\"?)")
        .hasMessageContaining("the file defines: staging, production");
  }

  @Test
  void aFileWithoutEnvironmentsGivesTheTopLevelWithAWarning() {
    QueueConfig config =
        ConfigLoader.builder()
            .environment("staging")
            .build()
            .parse(GoodFilesTest.SEED_002_WRANGLER_TOML, ConfigFormat.WRANGLER_TOML, "w.toml");

    assertThat(config.consumers()).containsOnlyKeys("jobs");
    assertThat(config.warnings()).singleElement()
        .satisfies(w -> assertThat(w.message()).contains("defines no environments"));
  }

  @Test
  void theTopLevelIsStillCheckedWhenAnEnvironmentIsSelected() {
    String file =
        """
        [[queues.consumers]]
        queue = "jobs"
        max_retries = 500
        [env.staging]
        name = "w"
        """;
    ConfigLoader loader = ConfigLoader.builder().environment("staging").build();

    assertThatThrownBy(() -> loader.parse(file, ConfigFormat.WRANGLER_TOML, "wrangler.toml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("wrangler.toml:3:1: queues.consumers[0].max_retries");
  }

  @Test
  void environmentsOfAJsonFileAreSelectedTheSameWay() {
    String json =
        """
        {
          "queues": {"producers": [{"binding": "JOBS", "queue": "jobs"}]},
          "env": {
            "staging": {
              "queues": {
                "producers": [{"binding": "JOBS", "queue": "jobs-staging"}],
                "consumers": [{"queue": "jobs-staging", "max_batch_size": 1}],
              },
            },
          },
        }
        """;

    QueueConfig config =
        ConfigLoader.builder()
            .environment("staging")
            .build()
            .parse(json, ConfigFormat.WRANGLER_JSON, "wrangler.jsonc");

    assertThat(config.producers()).containsEntry("JOBS", "jobs-staging");
    assertThat(at(config.consumers(), "jobs-staging").settings().maxBatchSize()).isEqualTo(1);
  }

  @Test
  void aBlankEnvironmentNameIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.builder().environment(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment must not be blank but was ' '");
  }
}

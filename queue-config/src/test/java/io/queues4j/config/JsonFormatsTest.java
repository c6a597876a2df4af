package io.queues4j.config;

import static io.queues4j.config.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.core.ConsumerSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** wrangler.json and wrangler.jsonc: comments and trailing commas, the same model as TOML. */
class JsonFormatsTest {

  private static final ConfigLoader LOADER = ConfigLoader.builder().build();

  @Test
  void jsoncWithCommentsAndTrailingCommasLoads() {
    String jsonc =
        """
        // wrangler.jsonc of a producer and consumer Worker
        {
          "name": "jobs-worker",
          /* queues */
          "queues": {
            "producers": [
              {
                "binding": "JOBS", // env.JOBS
                "queue": "jobs",
              },
            ],
            "consumers": [
              {
                "queue": "jobs",
                "max_batch_size": 10,
                "max_batch_timeout": 5,
                "max_retries": 3,
                "retry_delay": 10, // seconds
              },
            ],
          },
        }
        """;

    QueueConfig fromJsonc = LOADER.parse(jsonc, ConfigFormat.WRANGLER_JSON, "wrangler.jsonc");
    QueueConfig fromToml =
        LOADER.parse(GoodFilesTest.SEED_002_WRANGLER_TOML, ConfigFormat.WRANGLER_TOML, "w.toml");

    assertThat(fromJsonc.producers()).isEqualTo(fromToml.producers());
    assertThat(fromJsonc.queues()).isEqualTo(fromToml.queues());
    assertThat(fromJsonc.consumers()).isEqualTo(fromToml.consumers());
    assertThat(fromJsonc.warnings()).isEmpty();
  }

  @Test
  void nullMaxConcurrencyMeansTheDefaultAsInWrangler() {
    String json = "{\"queues\": {\"consumers\": [{\"queue\": \"q\", \"max_concurrency\": null}]}}";

    ConsumerSettings s =
        LOADER.parse(json, ConfigFormat.WRANGLER_JSON, "wrangler.json").consumerSettings("q");

    assertThat(s.maxConcurrency()).isEqualTo(ConsumerSettings.defaults().maxConcurrency());
  }

  @Test
  void wholeNumbersWrittenWithAFractionPartAreWhole() {
    String json =
        "{\"queues\": {\"consumers\": [{\"queue\": \"q\", \"max_batch_size\": 10.0,"
            + " \"retry_delay\": 2.000, \"max_batch_timeout\": 0.125}]}}";

    ConsumerSettings s =
        LOADER.parse(json, ConfigFormat.WRANGLER_JSON, "wrangler.json").consumerSettings("q");

    assertThat(s.maxBatchSize()).isEqualTo(10);
    assertThat(s.retryDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.maxBatchTimeout()).isEqualTo(Duration.ofMillis(125));
  }

  @Test
  void theQueues4jObjectWorksInJsonAndW7sFiles() {
    String w7s =
        """
        {
          "queues": ["jobs"],
          "queues4j": {
            "profile": "wdl",
            "queues": {"jobs": {"delivery_delay": 60}},
            "consumers": {"jobs": {"handler_timeout": 30}},
          },
        }
        """;

    QueueConfig config = LOADER.parse(w7s, ConfigFormat.W7S_JSON, "w7s.json");

    assertThat(config.profile()).isEqualTo(ConfigProfile.WDL);
    assertThat(at(config.queues(), "jobs").deliveryDelay()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.consumerSettings("jobs").handlerTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.consumerSettings("jobs").retryDelay()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aLoaderProfileWinsOverTheFiles() {
    String json = "{\"queues4j\": {\"profile\": \"wdl\"}, \"queues\": {\"consumers\": [{\"queue\":"
        + " \"q\"}]}}";

    QueueConfig config =
        ConfigLoader.builder()
            .profile(ConfigProfile.CLOUDFLARE)
            .build()
            .parse(json, ConfigFormat.WRANGLER_JSON, "wrangler.json");

    assertThat(config.profile()).isEqualTo(ConfigProfile.CLOUDFLARE);
  }
}

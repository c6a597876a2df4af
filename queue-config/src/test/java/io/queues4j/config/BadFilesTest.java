package io.queues4j.config;

import static io.queues4j.config.ConfigFormat.W7S_JSON;
import static io.queues4j.config.ConfigFormat.WRANGLER_JSON;
import static io.queues4j.config.ConfigFormat.WRANGLER_TOML;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad files, one problem each: every one fails at load with a {@link ConfigException} whose text
 * names the file and line, the key path, the bad value and what is allowed.
 */
class BadFilesTest {

  private static final ConfigLoader LENIENT = ConfigLoader.builder().build();

  /** One bad file and the substrings its error must contain. */
  record Case(
      String name, ConfigFormat format, String text, ConfigLoader loader, List<String> expected) {
    Case withEnvironment(String environment) {
      return new Case(
          name, format, text, ConfigLoader.builder().environment(environment).build(), expected);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static Case toml(String name, String text, String... expected) {
    return new Case(name, WRANGLER_TOML, text, LENIENT, List.of(expected));
  }

  private static Case json(String name, String text, String... expected) {
    return new Case(name, WRANGLER_JSON, text, LENIENT, List.of(expected));
  }

  private static Case w7s(String name, String text, String... expected) {
    return new Case(name, W7S_JSON, text, LENIENT, List.of(expected));
  }

  private static Case with(ConfigLoader loader, Case c) {
    return new Case(c.name(), c.format(), c.text(), loader, c.expected());
  }

  /** A consumer of "jobs" with one more line. */
  private static String consumer(String line) {
    return "[[queues.consumers]]\nqueue = \"jobs\"\n" + line + "\n";
  }

  static Stream<Case> cases() {
    return Stream.of(
        // consumer settings: ranges come from ConsumerSettings.Builder
        toml("batch size above 100", consumer("max_batch_size = 500"),
            "wrangler.toml:3:1: queues.consumers[0].max_batch_size: max_batch_size = 500 is out"
                + " of range: maxBatchSize must be in [1, 100] but was 500"),
        toml("batch size 0", consumer("max_batch_size = 0"),
            "max_batch_size = 0 is out of range", "[1, 100]"),
        toml("batch size far beyond an int", consumer("max_batch_size = 99999999999"),
            "max_batch_size = 99999999999 is out of range", "[1, 100]"),
        toml("batch size as a string", consumer("max_batch_size = \"10\""),
            "wrangler.toml:3:1", "max_batch_size must be a number but was the string \"10\""),
        toml("batch size nan", consumer("max_batch_size = nan"),
            "max_batch_size must be a finite number but was NaN"),
        toml("batch timeout inf", consumer("max_batch_timeout = inf"),
            "max_batch_timeout must be a finite number but was Infinity"),
        toml("retry delay as a TOML date", consumer("retry_delay = 1979-05-27"),
            "retry_delay must be a number but was the string \"1979-05-27\""),
        toml("fractional batch size", consumer("max_batch_size = 2.5"),
            "max_batch_size must be a whole number but was 2.5"),
        toml("batch timeout above 60 s", consumer("max_batch_timeout = 61"),
            "max_batch_timeout = 61 is out of range: maxBatchTimeout must be in [0 s, 60 s] but"
                + " was 61 s"),
        toml("negative batch timeout", consumer("max_batch_timeout = -1"),
            "max_batch_timeout = -1 is out of range", "[0 s, 60 s]"),
        toml("batch timeout finer than a millisecond", consumer("max_batch_timeout = 0.0005"),
            "max_batch_timeout must be seconds with at most millisecond precision", "0.0005"),
        toml("retries above 100", consumer("max_retries = 101"),
            "max_retries = 101 is out of range: maxRetries must be in [0, 100] but was 101"),
        toml("negative retries", consumer("max_retries = -1"),
            "maxRetries must be in [0, 100] but was -1"),
        toml("retry delay above a day", consumer("retry_delay = 86401"),
            "retry_delay = 86401 is out of range: retryDelay must be in [0 s, 86400 s] but was"
                + " 86401 s"),
        toml("fractional retry delay", consumer("retry_delay = 1.5"),
            "retry_delay must be whole seconds but was 1.5"),
        toml("concurrency 0", consumer("max_concurrency = 0"),
            "max_concurrency = 0 is out of range: maxConcurrency must be in [1, 250] but was 0"),
        toml("concurrency above 250", consumer("max_concurrency = 251"),
            "maxConcurrency must be in [1, 250] but was 251"),
        toml("dead-letter queue is the queue", consumer("dead_letter_queue = \"jobs\""),
            "queues.consumers[0].dead_letter_queue", "is the consumed queue itself"),
        toml("empty dead-letter queue", consumer("dead_letter_queue = \"\""),
            "dead_letter_queue must not be empty"),
        toml("unknown consumer type", consumer("type = \"push\""),
            "type must be \"worker\" or \"http_pull\" but was \"push\""),
        toml("visibility timeout 0",
            consumer("type = \"http_pull\"\nvisibility_timeout_ms = 0"),
            "wrangler.toml:4:1", "visibility_timeout_ms = 0 is out of range",
            "[1, 43200000] milliseconds"),
        toml("visibility timeout above 12 h",
            consumer("type = \"http_pull\"\nvisibility_timeout_ms = 43200001"),
            "visibility_timeout_ms = 43200001 is out of range"),
        toml("consumer without a queue", "[[queues.consumers]]\nmax_retries = 2\n",
            "wrangler.toml:1:1: queues.consumers[0]: missing required key \"queue\""),
        toml("two consumers of one queue",
            consumer("max_retries = 1") + consumer("max_retries = 2"),
            "wrangler.toml:4:1: queues.consumers[1]: queue \"jobs\" already has a consumer at"
                + " queues.consumers[0]"),
        toml("dead-letter cycle",
            """
            [[queues.consumers]]
            queue = "a"
            dead_letter_queue = "b"
            [[queues.consumers]]
            queue = "b"
            dead_letter_queue = "a"
            """,
            "wrangler.toml:3:1", "dead-letter queues form a cycle: a -> b -> a"),
        toml("WDL rejects max_concurrency",
            "[queues4j]\nprofile = \"wdl\"\n" + consumer("max_concurrency = 5"),
            "wrangler.toml:5:1", "max_concurrency is not supported by the WDL profile"),
        // producers
        toml("duplicate binding",
            """
            [[queues.producers]]
            binding = "JOBS"
            queue = "a"
            [[queues.producers]]
            binding = "JOBS"
            queue = "b"
            """,
            "queues.producers[1]: binding \"JOBS\" is already declared at queues.producers[0]"),
        toml("producer without a binding", "[[queues.producers]]\nqueue = \"jobs\"\n",
            "missing required key \"binding\""),
        toml("producer without a queue", "[[queues.producers]]\nbinding = \"JOBS\"\n",
            "missing required key \"queue\"", "cannot provision"),
        toml("delivery_delay as a string",
            "[[queues.producers]]\nbinding = \"JOBS\"\nqueue = \"jobs\"\ndelivery_delay = \"30\"\n",
            "wrangler.toml:4:1", "delivery_delay must be a number but was the string \"30\""),
        // shapes
        toml("a single [queues.consumers] table", "[queues.consumers]\nqueue = \"jobs\"\n",
            "queues.consumers: must be an array of tables ([[queues.consumers]], not"
                + " [queues.consumers])"),
        toml("queues as a list of names", "queues = [\"jobs\"]\n",
            "wrangler.toml:1:1: queues: must be a table", "w7s.json's form"),
        toml("malformed TOML", "[[queues.consumers]]\nqueue = \"jobs\nmax_retries = 1\n",
            "wrangler.toml:2:", "malformed TOML"),
        toml("duplicate TOML key", "[[queues.consumers]]\nqueue = \"a\"\nqueue = \"b\"\n",
            "malformed TOML: Duplicate key"),
        // environments
        toml("unknown environment",
            "[env.production]\nname = \"w\"\n[env.staging]\nname = \"w\"\n",
            "env: no environment named \"prod\"", "did you mean \"production\"?",
            "production, staging").withEnvironment("prod"),
        toml("queues4j inside an environment",
            "[env.staging.queues4j.queues.jobs]\ndelivery_delay = 5\n",
            "env.staging.queues4j: the queues4j table applies to every environment")
            .withEnvironment("staging"),
        // the [queues4j] table: ranges come from QueueSettings.Builder
        toml("queue delivery delay above a day",
            "[queues4j.queues.jobs]\ndelivery_delay = 86401\n",
            "wrangler.toml:2:1: queues4j.queues.jobs.delivery_delay: delivery_delay = 86401 is"
                + " out of range: deliveryDelay must be in [0 s, 86400 s] but was 86401 s"),
        toml("retention under a minute",
            "[queues4j.queues.jobs]\nmessage_retention_period = 59\n",
            "retentionPeriod must be in [60 s, 1209600 s] but was 59 s"),
        toml("dead-letter capacity 0", "[queues4j.queues.jobs]\ndead_letter_capacity = 0\n",
            "deadLetterCapacity must be in [1, 10000000] but was 0"),
        toml("backlog bytes 0", "[queues4j.queues.jobs]\nmax_backlog_bytes = 0\n",
            "maxBacklogBytes must be at least 1 but was 0"),
        toml("blank queue name in the queues4j table",
            "[queues4j.queues.\" \"]\ndelivery_delay = 1\n",
            "wrangler.toml:1:1: queues4j.queues. : a queue name must not be blank"),
        toml("queue settings that are not a table", "[queues4j.queues]\njobs = 5\n",
            "queues4j.queues.jobs: must be a table of queue settings ([queues4j.queues.jobs]) but"
                + " was the number 5"),
        toml("unknown profile", "[queues4j]\nprofile = \"aws\"\n",
            "profile must be \"cloudflare\" or \"wdl\" but was \"aws\""),
        toml("handler timeout for a queue without a consumer",
            consumer("") + "[queues4j.consumers.jbos]\nhandler_timeout = 60\n",
            "no consumer is declared for queue \"jbos\" (did you mean \"jobs\"?)"),
        toml("handler timeout 0", consumer("") + "[queues4j.consumers.jobs]\nhandler_timeout = 0\n",
            "handler_timeout = 0 is out of range: handlerTimeout must be in [0.001 s, 86400 s]"),
        with(ConfigLoader.builder().strict(true).build(),
            toml("unknown key in strict mode", consumer("max_batch_sise = 10"),
                "wrangler.toml:3:1: queues.consumers[0].max_batch_sise: unknown key"
                    + " \"max_batch_sise\"; did you mean \"max_batch_size\"?")),
        // JSON
        json("malformed JSON", "{\n  \"queues\": {\n    \"consumers\": [ { \"queue\": } ]\n  }\n}",
            "wrangler.json:3:", "malformed JSON"),
        json("duplicate JSON key", "{\"queues\": {}, \"queues\": {}}",
            "malformed JSON: Duplicate field 'queues'"),
        json("root is an array", "[1]", "must be a JSON object but was an array"),
        json("empty file", "", "the file is empty"),
        json("null batch size",
            "{\"queues\": {\"consumers\": [{\"queue\": \"jobs\",\n \"max_batch_size\": null}]}}",
            "wrangler.json:2:2: queues.consumers[0].max_batch_size: max_batch_size must be a"
                + " number but was null"),
        json("consumers as an object", "{\"queues\": {\"consumers\": {\"queue\": \"jobs\"}}}",
            "queues.consumers: must be an array of tables"),
        // w7s.json
        w7s("queues as a string", "{\"queues\": \"jobs\"}",
            "w7s.json:1:2: queues: must be an array of queue names"),
        w7s("queue object without a name", "{\"queues\": [{\"consumer\": \"/q\"}]}",
            "queues[0]: missing required key \"name\""),
        w7s("relative consumer path",
            "{\"queues\": [{\"name\": \"jobs\", \"consumer\": \"internal/jobs\"}]}",
            "queues[0].consumer: consumer must be a path starting with \"/\" but was"
                + " \"internal/jobs\""),
        w7s("a queue declared twice", "{\"queues\": [\"jobs\",\n \"jobs\"]}",
            "w7s.json:2:2: queues[1]: queue \"jobs\" already has a consumer at queues[0]"),
        w7s("empty queue name", "{\"queues\": [\"\"]}", "a queue name must not be empty"),
        w7s("queue instead of queues", "{\"queue\": [\"jobs\"]}",
            "queue: must be an object like {\"allow\"", "to declare queues, use \"queues\""),
        w7s("bad owner", "{\"queue\": {\"allow\": [\"-bad-\"]}}",
            "queue.allow[0]: owner must be a GitHub owner name", "'-bad-'"),
        w7s("owner/repo/extra", "{\"queue\": {\"allow\": [\"a/b/c\"]}}",
            "an allow entry must be 'owner' or 'owner/repo' but was 'a/b/c'"),
        w7s("allow entry not a string", "{\"queue\": {\"allow\": [42]}}",
            "an allow entry must be a string", "the number 42"),
        w7s("w7s retries above 100",
            "{\"queues\": [{\"name\": \"jobs\", \"max_retries\": 101}]}",
            "queues[0].max_retries: max_retries = 101 is out of range"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void failsWithAnErrorThatNamesTheProblem(Case c) {
    String source =
        switch (c.format()) {
          case WRANGLER_TOML -> "wrangler.toml";
          case WRANGLER_JSON -> "wrangler.json";
          case W7S_JSON -> "w7s.json";
        };

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> c.loader().parse(c.text(), c.format(), source));

    assertThat(e).as("%s must fail", c.name()).isNotNull();
    assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.source()).isEqualTo(source));
    for (String expected : c.expected()) {
      assertThat(e.getMessage()).contains(expected);
    }
  }

  @org.junit.jupiter.api.Test
  void thereAreAtLeastThirtyCases() {
    assertThat(cases().count()).isGreaterThanOrEqualTo(30);
  }
}

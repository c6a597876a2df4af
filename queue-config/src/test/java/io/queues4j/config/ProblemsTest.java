package io.queues4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One exception lists every problem of a file, in file order, each placed and explained. */
class ProblemsTest {

  @Test
  void everyProblemOfAFileIsReportedAtOnceInFileOrder() {
    String toml =
        """
        [[queues.producers]]
        binding = "JOBS"

        [[queues.consumers]]
        queue = "jobs"
        max_batch_size = 500
        max_batch_timeout = "5s"
        retry_delay = 2.5
        dead_letter_queue = "jobs"

        [[queues.consumers]]
        queue = "jobs"

        [queues4j.queues.jobs]
        message_retention_period = 30
        """;

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> ConfigLoader.builder().build().parse(toml, ConfigFormat.WRANGLER_TOML, "w.toml"));

    assertThat(e.problems())
        .extracting(Problem::line, Problem::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "queues.producers[0]"),
            org.assertj.core.groups.Tuple.tuple(6, "queues.consumers[0].max_batch_size"),
            org.assertj.core.groups.Tuple.tuple(7, "queues.consumers[0].max_batch_timeout"),
            org.assertj.core.groups.Tuple.tuple(8, "queues.consumers[0].retry_delay"),
            org.assertj.core.groups.Tuple.tuple(9, "queues.consumers[0].dead_letter_queue"),
            org.assertj.core.groups.Tuple.tuple(15, "queues4j.queues.jobs.message_retention_period"));
    assertThat(e.getMessage())
        .isEqualTo(
            """
            w.toml is invalid (6 problems):
              w.toml:1:1: queues.producers[0]: missing required key "queue" (the queue the \
            binding sends to; queues4j cannot provision one at deploy time as wrangler can)
              w.toml:6:1: queues.consumers[0].max_batch_size: max_batch_size = 500 is out of \
            range: maxBatchSize must be in [1, 100] but was 500
              w.toml:7:1: queues.consumers[0].max_batch_timeout: max_batch_timeout must be a \
            number but was the string "5s"
              w.toml:8:1: queues.consumers[0].retry_delay: retry_delay must be whole seconds but \
            was 2.5
              w.toml:9:1: queues.consumers[0].dead_letter_queue: dead_letter_queue = "jobs" is the \
            consumed queue itself; a dead-letter queue must be another queue
              w.toml:15:1: queues4j.queues.jobs.message_retention_period: \
            message_retention_period = 30 is out of range: retentionPeriod must be in [60 s, \
            1209600 s] but was 30 s""");
  }

  @Test
  void aProblemPrintsWhatIsKnown() {
    assertThat(new Problem("w.toml", 3, 7, "queues", "bad")).hasToString("w.toml:3:7: queues: bad");
    assertThat(new Problem("w.toml", 3, 0, "queues", "bad")).hasToString("w.toml:3: queues: bad");
    assertThat(new Problem("w.toml", 0, 0, "", "bad")).hasToString("w.toml: bad");
    assertThatThrownBy(() -> new Problem("w.toml", -1, 0, "", "bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("line and column must be at least 0 but were -1 and 0");
  }

  @Test
  void anExceptionNeedsAProblemAndKeepsACopy() {
    List<Problem> problems = new java.util.ArrayList<>(List.of(new Problem("f", 1, 1, "", "x")));
    ConfigException e = new ConfigException("f", problems);
    problems.clear();

    assertThat(e.problems()).hasSize(1);
    assertThat(e).hasMessage("f is invalid (1 problem):\n  f:1:1: x");
    assertThatThrownBy(() -> new ConfigException("f", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builderMessagesAreRewrittenInTheFilesUnits() {
    assertThat(Report.inFileUnits("maxBatchTimeout must be in [PT0S, PT1M] but was PT1M30S"))
        .isEqualTo("maxBatchTimeout must be in [0 s, 60 s] but was 90 s");
    assertThat(Report.inFileUnits("handlerTimeout must be in [PT0.001S, PT24H] but was PT0S"))
        .isEqualTo("handlerTimeout must be in [0.001 s, 86400 s] but was 0 s");
    assertThat(Report.inFileUnits("retryDelay must be in [PT0S, PT24H] but was PT-5S"))
        .isEqualTo("retryDelay must be in [0 s, 86400 s] but was -5 s");
    assertThat(Report.inFileUnits("maxRetries must be in [0, 100] but was 101"))
        .isEqualTo("maxRetries must be in [0, 100] but was 101");
    assertThat(Report.inFileUnits(null)).isEqualTo("rejected");
    assertThat(Report.seconds(Duration.ofMillis(1500))).isEqualTo("1.5 s");
  }

  @Test
  void spellingSuggestsTheNearestKeyOnlyWhenItIsNear() {
    List<String> keys = List.of("max_batch_size", "max_batch_timeout", "max_retries", "queue");

    assertThat(Spelling.closest("max_batch_sise", keys)).isEqualTo("max_batch_size");
    assertThat(Spelling.closest("maxBatchTimeout", keys)).isEqualTo("max_batch_timeout");
    assertThat(Spelling.closest("max-retries", keys)).isEqualTo("max_retries");
    assertThat(Spelling.closest("queues", keys)).isEqualTo("queue");
    assertThat(Spelling.closest("colour", keys)).isNull();
    assertThat(Spelling.closest("prod", List.of("staging", "production"))).isEqualTo("production");
    assertThat(Spelling.closest("JOB", List.of("JOBS", "EMAILS"))).isEqualTo("JOBS");
    assertThat(Spelling.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Spelling.distance("", "abc")).isEqualTo(3);
    assertThat(Spelling.snakeCase("maxBatchSize")).isEqualTo("max_batch_size");
    assertThat(Spelling.snakeCase("JOBS")).isEqualTo("jobs");
  }
}

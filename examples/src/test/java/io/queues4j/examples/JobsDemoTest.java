package io.queues4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the README's demo in process, briefly, and checks its summary. */
class JobsDemoTest {
  private final OutputCapture out = new OutputCapture();
  private final OutputCapture err = new OutputCapture();

  private int run(boolean terminal, String... args) throws InterruptedException {
    return new JobsDemo(out.stream, err.stream, terminal).run(args);
  }

  @Test
  void everyJobIsAckedExceptThePoisonJobWhichIsDeadLettered() throws InterruptedException {
    int status = run(false, "--messages", "500", "--failure-rate", "0", "--max-retries", "0");

    assertThat(status).as(out.text()).isZero();
    assertThat(out.summaryValue("sent")).isEqualTo(500);
    assertThat(out.summaryValue("delivered")).isEqualTo(500);
    assertThat(out.summaryValue("acked")).isEqualTo(499);
    assertThat(out.summaryValue("retried")).isZero();
    assertThat(out.summaryValue("dead-lettered")).isEqualTo(1);
    assertThat(out.summaryValue("unaccounted")).isZero();
    assertThat(out.text())
        .contains("results in the key-value store: 499")
        .contains("held in jobs-dlq: job-000250 (import-corrupt-file)")
        .containsPattern("throughput +\\d+ jobs/s")
        .containsPattern("send-to-ack +p50 [\\d.]+ ms  p99 [\\d.]+ ms  p99.9 [\\d.]+ ms")
        .contains("OK: every job is accounted for")
        .doesNotContain("\r");
    assertThat(err.text()).isEmpty();
  }

  @Test
  void transientFailuresAreRetriedAndExhaustedJobsAreDeadLettered() throws InterruptedException {
    int messages = 300;
    double failureRate = 0.3;
    long seed = 7;
    int status =
        run(
            false,
            "--messages=" + messages,
            "--failure-rate=" + failureRate,
            "--max-retries=1",
            "--seed=" + seed,
            "--batch-size=5",
            "--concurrency=2");

    // The failures depend only on the seed, so the outcome is known in advance: a job is
    // dead-lettered when both of its attempts fail.
    FlakyDownstream downstream = new FlakyDownstream(failureRate, seed);
    int poison = (messages + 1) / 2;
    long failedFirst = 0;
    long failedBoth = 0;
    for (int n = 1; n <= messages; n++) {
      Job job = Job.create(n, poison, Instant.EPOCH);
      boolean first = fails(downstream, job, 1);
      failedFirst += first ? 1 : 0;
      failedBoth += first && fails(downstream, job, 2) ? 1 : 0;
    }
    assertThat(status).as(out.text()).isZero();
    assertThat(failedBoth).as("the poison job at least").isGreaterThanOrEqualTo(1);
    assertThat(out.summaryValue("sent")).isEqualTo(messages);
    assertThat(out.summaryValue("retried")).isEqualTo(failedFirst);
    assertThat(out.summaryValue("delivered")).isEqualTo(messages + failedFirst);
    assertThat(out.summaryValue("dead-lettered")).isEqualTo(failedBoth);
    assertThat(out.summaryValue("acked")).isEqualTo(messages - failedBoth);
    assertThat(out.summaryValue("unaccounted")).isZero();
  }

  private static boolean fails(FlakyDownstream downstream, Job job, int attempt) {
    try {
      downstream.run(job, attempt);
      return false;
    } catch (JobFailedException e) {
      return true;
    }
  }

  @Test
  void onATerminalTheProgressLineRedrawsInPlace() throws InterruptedException {
    int status = run(true, "--messages", "50", "--failure-rate", "0", "--max-retries", "0");

    assertThat(status).isZero();
    assertThat(out.text()).contains("\r  ").contains("sent 50/50");
  }

  @Test
  void helpPrintsTheOptions() throws InterruptedException {
    assertThat(run(false, "--help")).isZero();

    assertThat(out.text())
        .startsWith("Usage: java -jar examples/target/queues4j-demo.jar")
        .contains("--messages", "--failure-rate", "--batch-size", "--concurrency");
  }

  @Test
  void theSummarysElapsedTimeIsNotShorterThanTheLastProgressLine() throws InterruptedException {
    int status = run(false, "--messages", "300", "--failure-rate", "0.2", "--max-retries", "1");

    assertThat(status).as(out.text()).isZero();
    Matcher progress = Pattern.compile("(?m)^ +([\\d.]+) s  sent ").matcher(out.text());
    double lastProgress = -1;
    while (progress.find()) {
      lastProgress = Double.parseDouble(progress.group(1));
    }
    Matcher elapsed = Pattern.compile("(?m)^  elapsed +([\\d.]+) s$").matcher(out.text());
    assertThat(elapsed.find()).as(out.text()).isTrue();
    assertThat(lastProgress).as(out.text()).isPositive(); // the 2 s backoff of the poison job
    assertThat(Double.parseDouble(elapsed.group(1))).isGreaterThanOrEqualTo(lastProgress);
  }

  @Test
  void anUnknownOptionIsNamedOnOneLine() throws InterruptedException {
    assertThat(run(false, "--x")).isEqualTo(2);

    assertThat(out.text()).isEmpty();
    assertThat(err.text().lines()).containsExactly("queues4j-demo: unknown option: --x (see --help)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--messages abc",
        "--messages 0",
        "--failure-rate 1.5",
        "--failure-rate NaN",
        "--batch-size 101",
        "--concurrency 0",
        "--max-retries 9",
        "--seed x",
        "--colour red",
        "--messages",
        "stray"
      })
  void aBadOptionIsOneLineOnStandardErrorAndExitCodeTwo(String args) throws InterruptedException {
    int status = run(false, args.split(" "));

    assertThat(status).isEqualTo(2);
    assertThat(out.text()).isEmpty();
    assertThat(err.text().lines()).singleElement().asString()
        .startsWith("queues4j-demo: ")
        .endsWith("(see --help)");
  }
}

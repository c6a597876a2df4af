package io.queues4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo with {@code --durable}: a second run delivers what the first one left behind. */
class DurableDemoTest {

  @Test
  void aSecondRunDeliversWhatAnInterruptedFirstRunLeftInTheDatabase()
      throws IOException, InterruptedException {
    Path dir = Files.createDirectories(Path.of("target", "durable-demo-"
        + ProcessHandle.current().pid() + "-" + System.nanoTime()));
    String db = dir.resolve("jobs.db").toString();

    OutputCapture first = new OutputCapture();
    OutputCapture firstErr = new OutputCapture();
    int status = new JobsDemo(first.stream, firstErr.stream, false).run("--durable", db,
        "--messages", "300", "--failure-rate", "0", "--max-retries", "0", "--batch-size", "5",
        "--concurrency", "1", "--stop-after", "20");
    assertThat(status).as(first.text() + firstErr.text()).isZero();
    assertThat(first.text()).contains("Database " + db + " holds nothing from an earlier run.");
    Matcher left = Pattern.compile("(\\d+) jobs and (\\d+) dead letters remain in "
        + Pattern.quote(db)).matcher(first.text());
    assertThat(left.find()).as(first.text()).isTrue();
    long jobsLeft = Long.parseLong(left.group(1));
    long deadLettersLeft = Long.parseLong(left.group(2));
    assertThat(jobsLeft).as("jobs left behind").isPositive();

    OutputCapture second = new OutputCapture();
    OutputCapture secondErr = new OutputCapture();
    status = new JobsDemo(second.stream, secondErr.stream, false).run("--durable", db,
        "--messages", "10", "--failure-rate", "0", "--max-retries", "0");
    assertThat(status).as(second.text() + secondErr.text()).isZero();
    assertThat(second.text())
        .contains("holds " + jobsLeft + " jobs and " + deadLettersLeft
            + " dead letters left by an earlier run")
        .contains("OK: every job is accounted for");
    assertThat(second.summaryValue("inherited")).isEqualTo(jobsLeft);
    assertThat(second.summaryValue("sent")).isEqualTo(10);
    assertThat(second.summaryValue("acked") + second.summaryValue("dead-lettered"))
        .isEqualTo(10 + jobsLeft);
  }

  @Test
  void theDurableQuickStartReceivesInTheSecondEngineWhatTheFirstSent()
      throws IOException, InterruptedException {
    Path dir = Files.createDirectories(Path.of("target", "durable-quickstart-"
        + ProcessHandle.current().pid() + "-" + System.nanoTime()));
    assertThat(DurableQuickStart.run(dir.resolve("queues.db"))).containsExactly("hello", "again");
    try (var engine = DurableQuickStart.configured(dir.resolve("other.db"))) {
      engine.declareQueue("q");
      assertThat(engine.<String>queue("q").send("x")).succeedsWithin(java.time.Duration.ofSeconds(10));
    }
  }

  @Test
  void aDatabaseInUseIsReportedAsABadStart() throws IOException, InterruptedException {
    Path dir = Files.createDirectories(Path.of("target", "durable-demo-locked-"
        + ProcessHandle.current().pid() + "-" + System.nanoTime()));
    Path db = dir.resolve("jobs.db");
    try (var holder = io.queues4j.sqlite.SqliteStore.open(db)) {
      assertThat(holder.file()).isEqualTo(db);
      OutputCapture out = new OutputCapture();
      OutputCapture err = new OutputCapture();
      int status = new JobsDemo(out.stream, err.stream, false).run("--durable", db.toString());
      assertThat(status).isEqualTo(2);
      assertThat(err.text()).startsWith("queues4j-demo: ").contains("in use by another store");
    }
  }
}

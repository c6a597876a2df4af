package io.queues4j.examples;

import io.queues4j.Queue;
import io.queues4j.QueueMetrics;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.DeadLetter;
import io.queues4j.core.QueueEngine;
import io.queues4j.core.QueueStats;
import io.queues4j.core.ShutdownReport;
import io.queues4j.sqlite.SqliteStore;
import io.queues4j.sqlite.SqliteStoreException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The jobs demo, after the seed's "queues-demo": one service produces jobs, a consumer runs them
 * and writes each result to a key-value store. Some attempts fail transiently and are retried with
 * exponential backoff; one poison job fails every time and ends in the dead-letter queue.
 *
 * <p>While it runs it shows a progress line; at the end it prints a summary (sent, delivered,
 * acked, retried, dead-lettered, throughput, send-to-ack latency percentiles) and checks with
 * {@link QueueEngine#stats(String)} that every job is accounted for. Run {@code java -jar
 * examples/target/queues4j-demo.jar --help} for the options.
 *
 * <p>With {@code --durable FILE} the queues live in a SQLite database ({@link SqliteStore}): a run
 * stopped early ({@code --stop-after N}, or Ctrl-C) leaves its jobs there, and the next run with
 * the same file delivers them.
 *
 * <p>Exit status: 0 if every job is accounted for (or, with {@code --stop-after}, left in the
 * database), 1 if not, 2 for a bad option or a database that cannot be opened.
 */
public final class JobsDemo {
  static final String JOBS = "jobs";
  static final String JOBS_DLQ = "jobs-dlq";

  /** How often the demo reads the queue's counters while it waits. */
  private static final long POLL_MILLIS = 20;

  /** Slack on top of the poison job's backoff before the demo stops waiting. */
  private static final Duration WAIT_SLACK = Duration.ofSeconds(30);

  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;

  /**
   * Creates the demo.
   *
   * @param out where progress and the summary go
   * @param err where a bad option is reported
   * @param terminal whether {@code out} is a terminal, where the progress line redraws in place
   */
  JobsDemo(PrintStream out, PrintStream err, boolean terminal) {
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /**
   * Runs the demo and exits with its status.
   *
   * @param args the options; {@code --help} lists them
   * @throws InterruptedException if interrupted while waiting for the consumer
   */
  public static void main(String[] args) throws InterruptedException {
    System.exit(new JobsDemo(System.out, System.err, Terminal.isInteractive()).run(args));
  }

  /**
   * Runs the demo.
   *
   * @param args the options
   * @return 0 if every job is accounted for, 1 if not, 2 for a bad option
   * @throws InterruptedException if interrupted while waiting for the consumer
   */
  int run(String... args) throws InterruptedException {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (UsageException e) {
      err.println("queues4j-demo: " + e.getMessage() + " (see --help)");
      return 2;
    }
    if (options.help()) {
      out.println(DemoOptions.USAGE);
      return 0;
    }
    return run(options);
  }

  private int run(DemoOptions options) throws InterruptedException {
    out.println("queues4j jobs demo: " + options.describe());
    out.printf(
        Locale.ROOT,
        "The poison job is retried for %d s in all before it is dead-lettered.%n",
        options.poisonBackoffSeconds());
    ResultStore results = new ResultStore();
    LatencyRecorder latency = new LatencyRecorder();
    DemoSummary summary;
    QueueEngine.Builder builder = QueueEngine.builder();
    Path durable = options.durable();
    if (durable != null) {
      try {
        builder.store(SqliteStore.open(durable));
      } catch (SqliteStoreException e) {
        err.println("queues4j-demo: " + e.getMessage());
        return 2;
      }
    }
    try (QueueEngine engine = builder.build()) {
      // what an earlier run left in the database: delivered by this one
      Map<String, QueueMetrics> left = engine.admin().undeclaredQueues();
      long inherited = backlog(left, JOBS);
      long inheritedDeadLetters = backlog(left, JOBS_DLQ);
      if (durable != null) {
        out.println(inherited + inheritedDeadLetters == 0
            ? "Database " + durable + " holds nothing from an earlier run."
            : String.format(Locale.ROOT, "Database %s holds %d jobs and %d dead letters left by"
                + " an earlier run; this run delivers them too.", durable, inherited,
                inheritedDeadLetters));
      }
      engine.declareQueue(JOBS);
      engine.consume(
          JOBS,
          Job.class,
          consumerSettings(options),
          new JobConsumer(
              new FlakyDownstream(options.failureRate(), options.seed()), results, latency));

      // The run's clock starts here, at the first send; the progress lines and the summary's
      // elapsed time both count from it.
      ProgressLine progress = new ProgressLine(out, terminal, System::nanoTime);
      Queue<Job> jobs = engine.queue(JOBS);
      JobProducer producer = new JobProducer(jobs, latency, (options.messages() + 1) / 2);
      for (int first = 1; first <= options.messages(); first += JobProducer.MAX_SEND_BATCH) {
        producer.send(first, Math.min(options.messages(), first + JobProducer.MAX_SEND_BATCH - 1));
        progress.update(engine.stats(JOBS), options.messages());
      }
      Duration patience = Duration.ofSeconds(options.poisonBackoffSeconds()).plus(WAIT_SLACK);
      if (options.stopAfter() > 0) {
        return stopEarly(engine, options, progress, patience);
      }
      QueueStats settled =
          awaitSettled(engine, options.messages(), inherited, progress, patience);
      Duration elapsed = progress.finish(settled, options.messages());

      QueueStats deadLetterQueue = engine.stats(JOBS_DLQ);
      List<Job> deadLetters = bodies(engine.drainDeadLetters(JOBS_DLQ));
      ShutdownReport shutdown = engine.shutdown(Duration.ofSeconds(5));
      summary =
          new DemoSummary(
              settled,
              deadLetterQueue,
              deadLetters,
              results.size(),
              latency.percentiles(),
              elapsed,
              shutdown,
              inherited,
              inheritedDeadLetters);
    }
    summary.print(out);
    return summary.accountedFor() ? 0 : 1;
  }

  /**
   * The consumer's settings: the seed's {@code [[queues.consumers]]} block, with a short batch
   * timeout so that a partial batch (the last one, or a retried job) goes out after 100 ms instead
   * of the default 5 s.
   */
  private static ConsumerSettings consumerSettings(DemoOptions options) {
    return ConsumerSettings.builder()
        .maxBatchSize(options.batchSize())
        .maxBatchTimeout(Duration.ofMillis(100))
        .maxRetries(options.maxRetries())
        .deadLetterQueue(JOBS_DLQ)
        .maxConcurrency(options.concurrency())
        .build();
  }

  private static long backlog(Map<String, QueueMetrics> queues, String queue) {
    QueueMetrics metrics = queues.get(queue);
    return metrics == null ? 0 : metrics.backlogCount();
  }

  /**
   * {@code --stop-after}: waits until that many jobs are acknowledged (or patience runs out),
   * then closes the engine, leaving whatever is not done in the database, as a process stopped at
   * that moment would.
   */
  private int stopEarly(
      QueueEngine engine, DemoOptions options, ProgressLine progress, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    QueueStats stats = engine.stats(JOBS);
    while (stats.acked() < options.stopAfter() && System.nanoTime() - deadline < 0) {
      progress.update(stats, options.messages());
      TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
      stats = engine.stats(JOBS);
    }
    progress.finish(stats, options.messages());
    ShutdownReport report = engine.shutdown(Duration.ofSeconds(5));
    long jobs = report.undeliveredByQueue().getOrDefault(JOBS, 0L);
    long deadLetters = report.undeliveredByQueue().getOrDefault(JOBS_DLQ, 0L);
    out.printf(Locale.ROOT, "%nStopped after %d jobs were acked (--stop-after %d): %d jobs and %d"
            + " dead letters remain in %s.%nRun again with --durable %s to deliver them.%n",
        stats.acked(), options.stopAfter(), jobs, deadLetters, options.durable(),
        options.durable());
    return 0;
  }

  /**
   * Waits until every job has been sent and every job, sent now or inherited from an earlier run,
   * has ended acknowledged, dead-lettered or dropped, or until {@code patience} runs out, updating
   * the progress line meanwhile.
   *
   * @return the jobs queue's counters at the end of the wait
   */
  private static QueueStats awaitSettled(QueueEngine engine, int expected, long inherited,
      ProgressLine progress, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      QueueStats stats = engine.stats(JOBS);
      long settled = stats.acked() + stats.deadLettered() + stats.dropped();
      if (stats.sent() == expected && settled == expected + inherited) {
        return stats;
      }
      if (System.nanoTime() - deadline >= 0) {
        return stats;
      }
      progress.update(stats, expected);
      TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
    }
  }

  private static List<Job> bodies(List<DeadLetter> deadLetters) {
    return deadLetters.stream().map(letter -> letter.body(Job.class)).toList();
  }
}

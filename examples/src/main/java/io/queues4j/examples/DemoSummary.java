package io.queues4j.examples;

import io.queues4j.core.QueueStats;
import io.queues4j.core.ShutdownReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The end of a jobs demo run: the engine's counters, the dead letters, the results and latencies,
 * and the check that every job is accounted for.
 *
 * @param jobs the counters of the jobs queue
 * @param deadLetterQueue the counters of the dead-letter queue
 * @param deadLetters the jobs the dead-letter queue held, drained at the end of the run
 * @param results how many results the key-value store holds
 * @param latency send-to-ack latencies
 * @param elapsed how long the run took, from the first send to the last settlement
 * @param shutdown what closing the engine left behind
 * @param inherited jobs an earlier run left in the database, delivered by this one
 * @param inheritedDeadLetters dead letters an earlier run left in the database
 */
record DemoSummary(
    QueueStats jobs,
    QueueStats deadLetterQueue,
    List<Job> deadLetters,
    long results,
    LatencyRecorder.Percentiles latency,
    Duration elapsed,
    ShutdownReport shutdown,
    long inherited,
    long inheritedDeadLetters) {

  private static final int DEAD_LETTERS_LISTED = 5;

  /**
   * Returns the jobs that were sent but are neither acknowledged, dead-lettered nor dropped: zero
   * unless a job is lost, or still pending when the run gave up waiting.
   */
  long unaccounted() {
    return jobs.sent() + inherited - jobs.acked() - jobs.deadLettered() - jobs.dropped();
  }

  /** Tells whether the dead-letter queue holds exactly the jobs the jobs queue dead-lettered. */
  boolean deadLettersHeld() {
    return deadLetterQueue.deadLettersReceived() == jobs.deadLettered()
        && deadLetters.size() + deadLetterQueue.deadLettersEvicted()
            == jobs.deadLettered() + inheritedDeadLetters;
  }

  /** Tells whether every job ended acknowledged, dead-lettered (and held) or dropped. */
  boolean accountedFor() {
    return unaccounted() == 0 && deadLettersHeld() && shutdown.clean();
  }

  void print(PrintStream out) {
    double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
    out.println();
    out.println("Summary");
    if (inherited > 0 || inheritedDeadLetters > 0) {
      row(out, "inherited", inherited, "jobs an earlier run left in the database (and "
          + inheritedDeadLetters + " dead letters)");
    }
    row(out, "sent", jobs.sent(), "");
    row(out, "delivered", jobs.deliveries(), "deliveries to the consumer, retries included");
    row(out, "acked", jobs.acked(), "results in the key-value store: " + results);
    row(out, "retried", jobs.retried(), "failed attempts, retried with backoff");
    row(out, "dead-lettered", jobs.deadLettered(), "held in jobs-dlq: " + listDeadLetters());
    row(out, "dropped", jobs.dropped(), "");
    row(out, "unaccounted", unaccounted(), "");
    out.printf(Locale.ROOT, "  %-14s %8.2f s%n", "elapsed", seconds);
    out.printf(
        Locale.ROOT,
        "  %-14s %8.0f jobs/s  acked per second of the whole run, backoff waits included%n",
        "throughput",
        jobs.acked() / seconds);
    out.printf(
        Locale.ROOT,
        "  %-14s p50 %.1f ms  p99 %.1f ms  p99.9 %.1f ms  (over %d acked jobs)%n",
        "send-to-ack",
        latency.millis(0.50),
        latency.millis(0.99),
        latency.millis(0.999),
        latency.count());
    out.println();
    if (accountedFor()) {
      out.println("OK: every job is accounted for (acked, dead-lettered or dropped).");
    } else {
      out.printf(
          Locale.ROOT,
          "FAILED: %d jobs unaccounted for; dead letters held as counted: %s; shutdown: %s%n",
          unaccounted(),
          deadLettersHeld(),
          shutdown);
    }
  }

  private String listDeadLetters() {
    if (deadLetters.isEmpty()) {
      return "none";
    }
    String listed =
        deadLetters.stream()
            .limit(DEAD_LETTERS_LISTED)
            .map(job -> job.id() + " (" + job.task() + ")")
            .collect(Collectors.joining(", "));
    int more = deadLetters.size() - DEAD_LETTERS_LISTED;
    return more > 0 ? listed + " and " + more + " more" : listed;
  }

  private static void row(PrintStream out, String name, long value, String note) {
    out.println(String.format(Locale.ROOT, "  %-14s %8d  %s", name, value, note).stripTrailing());
  }
}

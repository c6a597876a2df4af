package io.queues4j.examples;

import io.queues4j.core.QueueStats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows how a run is going: on a terminal one line redrawn in place with {@code \r}, otherwise a
 * new line every second, so logs and CI output stay readable. The run's time is counted from the
 * creation of this object, and {@link #finish} returns the time its last line shows, so that a
 * summary printed afterwards agrees with it. Not thread-safe: one thread drives it.
 */
final class ProgressLine {
  private static final long TERMINAL_REDRAW_NANOS = 100_000_000L;
  private static final long LOG_LINE_NANOS = 1_000_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private final long startNanos;
  private long lastShownNanos = Long.MIN_VALUE;
  private int lastWidth;

  /**
   * Starts counting the run's time.
   *
   * @param out where the progress goes
   * @param terminal whether {@code out} is a terminal
   * @param nanoTime the clock, {@code System::nanoTime} outside tests
   */
  ProgressLine(PrintStream out, boolean terminal, LongSupplier nanoTime) {
    this.out = out;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
    this.startNanos = nanoTime.getAsLong();
  }

  /** Shows {@code stats} if enough time has passed since the last update. */
  void update(QueueStats stats, int expected) {
    long now = nanoTime.getAsLong();
    long interval = terminal ? TERMINAL_REDRAW_NANOS : LOG_LINE_NANOS;
    if (lastShownNanos != Long.MIN_VALUE && now - lastShownNanos < interval) {
      return;
    }
    lastShownNanos = now;
    show(format(stats, expected, now));
  }

  /**
   * Shows the final state and ends the line.
   *
   * @return the run's time up to now, the value the final line shows (truncated to 0.1 s)
   */
  Duration finish(QueueStats stats, int expected) {
    long now = nanoTime.getAsLong();
    show(format(stats, expected, now));
    if (terminal) {
      out.println();
    }
    return Duration.ofNanos(now - startNanos);
  }

  private void show(String text) {
    if (terminal) {
      out.print("\r" + text + " ".repeat(Math.max(0, lastWidth - text.length())));
      out.flush();
      lastWidth = text.length();
    } else {
      out.println(text);
    }
  }

  /** Truncates, not rounds: a line never shows more time than has passed. */
  private static long tenthsOfSeconds(long nanos) {
    return nanos / 100_000_000L;
  }

  private String format(QueueStats s, int expected, long now) {
    return String.format(
        Locale.ROOT,
        "  %5.1f s  sent %d/%d  acked %d  retried %d  dead-lettered %d  pending %d  in flight %d",
        tenthsOfSeconds(now - startNanos) / 10.0,
        s.sent(),
        expected,
        s.acked(),
        s.retried(),
        s.deadLettered(),
        s.metrics().backlogCount(),
        s.inFlightBatches());
  }
}

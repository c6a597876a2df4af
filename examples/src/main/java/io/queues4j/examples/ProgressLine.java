package io.queues4j.examples;

import io.queues4j.core.QueueStats;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows how a run is going: on a terminal one line redrawn in place with {@code \r}, otherwise a
 * new line every second, so logs and CI output stay readable. Not thread-safe: one thread drives
 * it.
 */
final class ProgressLine {
  private static final long TERMINAL_REDRAW_NANOS = 100_000_000L;
  private static final long LOG_LINE_NANOS = 1_000_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private long lastShownNanos = Long.MIN_VALUE;
  private int lastWidth;

  ProgressLine(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Shows {@code stats} if enough time has passed since the last update. */
  void update(QueueStats stats, int expected) {
    long now = System.nanoTime();
    long interval = terminal ? TERMINAL_REDRAW_NANOS : LOG_LINE_NANOS;
    if (lastShownNanos != Long.MIN_VALUE && now - lastShownNanos < interval) {
      return;
    }
    lastShownNanos = now;
    show(format(stats, expected, now));
  }

  /** Shows the final state and ends the line. */
  void finish(QueueStats stats, int expected) {
    show(format(stats, expected, System.nanoTime()));
    if (terminal) {
      out.println();
    }
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

  private String format(QueueStats s, int expected, long now) {
    return String.format(
        Locale.ROOT,
        "  %5.1f s  sent %d/%d  acked %d  retried %d  dead-lettered %d  pending %d  in flight %d",
        (now - startNanos) / 1e9,
        s.sent(),
        expected,
        s.acked(),
        s.retried(),
        s.deadLettered(),
        s.metrics().backlogCount(),
        s.inFlightBatches());
  }
}

package io.queues4j.core;

import java.time.Duration;

/** Conversions of user-supplied durations that saturate instead of overflowing. */
final class Durations {
  private Durations() {}

  /** {@code d} in nanoseconds, or {@link Long#MAX_VALUE} if it is longer than that. */
  static long saturatedNanos(Duration d) {
    return d.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : d.toNanos();
  }

  /** {@code d} in milliseconds, or {@link Long#MAX_VALUE} if it is longer than that. */
  static long saturatedMillis(Duration d) {
    return d.compareTo(MAX_MILLIS) >= 0 ? Long.MAX_VALUE : d.toMillis();
  }

  /** {@code a + b} for non-negative {@code b}, capped at {@link Long#MAX_VALUE}. */
  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < a ? Long.MAX_VALUE : sum;
  }

  private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);
  private static final Duration MAX_MILLIS = Duration.ofMillis(Long.MAX_VALUE);
}

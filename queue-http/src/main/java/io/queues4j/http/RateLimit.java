package io.queues4j.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One rate limit: at most {@code permits} requests per {@code window}, enforced as a token bucket
 * that holds {@code permits} tokens and refills them evenly over the window (so a full bucket
 * allows a burst of {@code permits}, then {@code permits / window} on average). Value-based.
 *
 * @param permits the requests allowed per window, at least 1
 * @param window the window, from 1 ms to 7 days
 */
public record RateLimit(long permits, Duration window) {

  /**
   * Validates the limit.
   *
   * @param permits see the record description
   * @param window see the record description
   * @throws NullPointerException if {@code window} is {@code null}
   * @throws IllegalArgumentException if {@code permits} is less than 1 or {@code window} is
   *     outside 1 ms to 7 days
   */
  public RateLimit {
    requireNonNull(window, "window");
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1 but was " + permits);
    }
    if (window.toMillis() < 1 || window.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException("window must be 1 ms to 7 days but was " + window);
    }
  }

  /**
   * A limit per second.
   *
   * @param permits requests per second, at least 1
   * @return the limit
   * @throws IllegalArgumentException if {@code permits} is less than 1
   */
  public static RateLimit perSecond(long permits) {
    return new RateLimit(permits, Duration.ofSeconds(1));
  }

  /**
   * A limit per minute.
   *
   * @param permits requests per minute, at least 1
   * @return the limit
   * @throws IllegalArgumentException if {@code permits} is less than 1
   */
  public static RateLimit perMinute(long permits) {
    return new RateLimit(permits, Duration.ofMinutes(1));
  }

  /**
   * A limit per day.
   *
   * @param permits requests per day, at least 1
   * @return the limit
   * @throws IllegalArgumentException if {@code permits} is less than 1
   */
  public static RateLimit perDay(long permits) {
    return new RateLimit(permits, Duration.ofDays(1));
  }
}

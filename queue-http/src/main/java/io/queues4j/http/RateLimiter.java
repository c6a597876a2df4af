package io.queues4j.http;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token buckets per caller repository, per caller owner and global, on an injected clock.
 *
 * <p>Why our own: a token bucket is a few dozen lines, and Bucket4j does not resolve from this
 * build's repository; a dependency for this would cost more than it saves.
 *
 * <p>Thread-safety: one lock guards every bucket, held only for arithmetic (no I/O), so that a
 * request takes its tokens from all scopes or from none. The buckets of a scope are created on
 * first use; callers are the configured tokens' callers, so their number is bounded.
 */
final class RateLimiter {
  private final RateLimits limits;
  private final InstantSource clock;
  private final Object lock = new Object();
  private final Map<String, List<Bucket>> buckets = new HashMap<>(); // guarded by lock
  private final boolean unlimited;

  RateLimiter(RateLimits limits, InstantSource clock) {
    this.limits = limits;
    this.clock = clock;
    this.unlimited =
        limits.perRepo().isEmpty() && limits.perOwner().isEmpty() && limits.global().isEmpty();
  }

  /**
   * Takes one token from every bucket that applies to {@code caller}.
   *
   * @throws HttpError 429 naming the exhausted limit, with {@code Retry-After}, if any bucket is
   *     empty; then no bucket is charged
   */
  void acquire(Caller caller) throws HttpError {
    if (unlimited) {
      return;
    }
    long nowNanos = nanos();
    synchronized (lock) {
      List<Bucket> all = new ArrayList<>(6);
      all.addAll(bucketsOf("repo " + caller.repository(), limits.perRepo()));
      all.addAll(bucketsOf("owner " + caller.owner(), limits.perOwner()));
      all.addAll(bucketsOf("global", limits.global()));
      Bucket exhausted = null;
      long waitNanos = 0;
      for (Bucket b : all) {
        b.refill(nowNanos);
        if (b.tokens < 1.0) {
          long wait = b.nanosUntilOneToken();
          if (exhausted == null || wait > waitNanos) {
            exhausted = b;
            waitNanos = wait;
          }
        }
      }
      if (exhausted != null) {
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        throw HttpError.tooManyRequests(
            "rate limit of " + exhausted.limit.permits() + " sends per " + exhausted.limit.window()
                + " for " + exhausted.scope + " exceeded; retry after " + seconds + " s",
            seconds);
      }
      for (Bucket b : all) {
        b.tokens -= 1.0;
      }
    }
  }

  private List<Bucket> bucketsOf(String scope, List<RateLimit> scopeLimits) {
    if (scopeLimits.isEmpty()) {
      return List.of();
    }
    return buckets.computeIfAbsent(
        scope,
        s -> {
          List<Bucket> list = new ArrayList<>(scopeLimits.size());
          long now = nanos();
          for (RateLimit l : scopeLimits) {
            list.add(new Bucket(s, l, now));
          }
          return list;
        });
  }

  private long nanos() {
    java.time.Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** A token bucket: full at start, refilled at permits per window. Guarded by the lock. */
  private static final class Bucket {
    final String scope;
    final RateLimit limit;
    final double capacity;
    final double tokensPerNano;
    double tokens;
    long refilledAt;

    Bucket(String scope, RateLimit limit, long now) {
      this.scope = scope;
      this.limit = limit;
      this.capacity = limit.permits();
      this.tokensPerNano = limit.permits() / (double) limit.window().toNanos();
      this.tokens = capacity;
      this.refilledAt = now;
    }

    void refill(long now) {
      if (now > refilledAt) {
        tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
        refilledAt = now;
      }
    }

    long nanosUntilOneToken() {
      return (long) Math.ceil((1.0 - tokens) / tokensPerNano);
    }
  }
}

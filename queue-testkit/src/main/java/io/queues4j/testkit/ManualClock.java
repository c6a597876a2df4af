package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to, at millisecond resolution (the engine's own resolution).
 *
 * <p>Inside a {@link QueueTestKit}, move time with {@link QueueTestKit#advance(Duration)} or
 * {@link QueueTestKit#runUntilIdle()}, which also run the timers that become due; {@link
 * #advance(Duration)} on the clock itself only moves the hands, and timers it passes run late, at
 * the harness's next {@code advance}. Hand the same clock to the code under test (as its {@link
 * InstantSource}) so that its notion of time agrees with the queues'.
 *
 * <p><b>Thread-safety:</b> safe for concurrent use; reads are lock-free.
 */
public final class ManualClock implements InstantSource {
  /** Where a clock starts unless told otherwise: {@code 2026-01-01T00:00:00Z}. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final AtomicLong millis;

  private ManualClock(long millis) {
    this.millis = new AtomicLong(millis);
  }

  /**
   * Returns a clock at {@link #DEFAULT_START}.
   *
   * @return a new clock
   */
  public static ManualClock create() {
    return new ManualClock(DEFAULT_START.toEpochMilli());
  }

  /**
   * Returns a clock at {@code start}, truncated to the millisecond.
   *
   * @param start the initial time, not before the epoch
   * @return a new clock
   * @throws IllegalArgumentException if {@code start} is before 1970-01-01T00:00:00Z
   */
  public static ManualClock startingAt(Instant start) {
    requireNonNull(start, "start");
    if (start.isBefore(Instant.EPOCH)) {
      throw new IllegalArgumentException("start must not be before the epoch but was " + start);
    }
    return new ManualClock(start.toEpochMilli());
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public long millis() {
    return millis.get();
  }

  /**
   * Moves the clock forward; see the class description for how this differs from {@link
   * QueueTestKit#advance(Duration)}.
   *
   * @param duration how far, zero or more; truncated to the millisecond
   * @return the new time
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public Instant advance(Duration duration) {
    requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward but duration was " + duration);
    }
    return Instant.ofEpochMilli(millis.addAndGet(duration.toMillis()));
  }

  /** Moves the clock to {@code epochMillis} unless it is already later. */
  void moveTo(long epochMillis) {
    millis.accumulateAndGet(epochMillis, Math::max);
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }
}

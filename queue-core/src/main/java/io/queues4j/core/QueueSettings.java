package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a queue itself, whoever consumes it.
 *
 * <ul>
 *   <li>{@code deliveryDelay} (default 0, whole seconds in 0..86,400): the delay of every message
 *       sent without an explicit {@code delaySeconds}.
 *   <li>{@code deadLetterCapacity} (default 10,000): while the queue has no consumer, it keeps at
 *       most this many dead letters moved into it; the oldest are evicted and counted.
 *   <li>{@code maxBacklogBytes} and {@code maxBacklogMessages} (default: no limit of the queue's
 *       own; the engine's memory budget still applies): a send that would take the backlog past
 *       either fails with {@link io.queues4j.StorageLimitExceededException}. Dead letters moved
 *       into the queue are never refused.
 *   <li>{@code retentionPeriod} (default 4 days, 60 s..14 days, as Cloudflare's): a message older
 *       than this, counted from its send time, is removed whether or not it was ever delivered.
 *   <li>{@code deduplicationWindow} (default 5 minutes, 1 s..1 day; FIFO queues only): a message
 *       with the group and deduplication id (or body) of one sent within this window is accepted
 *       but not stored or delivered again.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class QueueSettings {
  private static final QueueSettings DEFAULTS = builder().build();

  /** The shortest retention period. */
  static final Duration MIN_RETENTION = Duration.ofSeconds(60);

  /** The longest retention period. */
  static final Duration MAX_RETENTION = Duration.ofDays(14);

  private final Duration deliveryDelay;
  private final int deadLetterCapacity;
  private final long maxBacklogBytes;
  private final long maxBacklogMessages;
  private final Duration retentionPeriod;
  private final Duration deduplicationWindow;

  private QueueSettings(Builder b) {
    this.deduplicationWindow = b.deduplicationWindow;
    this.deliveryDelay = b.deliveryDelay;
    this.deadLetterCapacity = b.deadLetterCapacity;
    this.maxBacklogBytes = b.maxBacklogBytes;
    this.maxBacklogMessages = b.maxBacklogMessages;
    this.retentionPeriod = b.retentionPeriod;
  }

  /**
   * Returns the default settings.
   *
   * @return the defaults
   */
  public static QueueSettings defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder starting from these settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Returns the delay of messages sent without an explicit delay.
   *
   * @return 0..86,400 s
   */
  public Duration deliveryDelay() {
    return deliveryDelay;
  }

  /**
   * Returns how many dead letters the queue keeps while it has no consumer.
   *
   * @return at least 1
   */
  public int deadLetterCapacity() {
    return deadLetterCapacity;
  }

  /**
   * Returns the most encoded body bytes the queue may hold.
   *
   * @return bytes; {@link Long#MAX_VALUE} means no limit of the queue's own
   */
  public long maxBacklogBytes() {
    return maxBacklogBytes;
  }

  /**
   * Returns the most messages the queue may hold.
   *
   * @return a count; {@link Long#MAX_VALUE} means no limit of the queue's own
   */
  public long maxBacklogMessages() {
    return maxBacklogMessages;
  }

  /**
   * Returns how long a message may stay in the queue after it was sent.
   *
   * @return 60 s..14 days
   */
  public Duration retentionPeriod() {
    return retentionPeriod;
  }

  /**
   * Returns how long a FIFO queue remembers a message's group and deduplication id to recognize a
   * duplicate.
   *
   * @return 1 s..1 day
   */
  public Duration deduplicationWindow() {
    return deduplicationWindow;
  }

  static String requireQueueName(String name) {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("queue name must not be blank but was '" + name + "'");
    }
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueueSettings other
        && deliveryDelay.equals(other.deliveryDelay)
        && deadLetterCapacity == other.deadLetterCapacity
        && maxBacklogBytes == other.maxBacklogBytes
        && maxBacklogMessages == other.maxBacklogMessages
        && retentionPeriod.equals(other.retentionPeriod)
        && deduplicationWindow.equals(other.deduplicationWindow);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        deliveryDelay, deadLetterCapacity, maxBacklogBytes, maxBacklogMessages, retentionPeriod,
        deduplicationWindow);
  }

  @Override
  public String toString() {
    return "QueueSettings{deliveryDelay=" + deliveryDelay + ", deadLetterCapacity="
        + deadLetterCapacity + ", maxBacklogBytes=" + limit(maxBacklogBytes)
        + ", maxBacklogMessages=" + limit(maxBacklogMessages) + ", retentionPeriod="
        + retentionPeriod + ", deduplicationWindow=" + deduplicationWindow + "}";
  }

  private static String limit(long value) {
    return value == Long.MAX_VALUE ? "none" : Long.toString(value);
  }

  /** Builds {@link QueueSettings}. Not thread-safe. */
  public static final class Builder {
    private Duration deliveryDelay = Duration.ZERO;
    private int deadLetterCapacity = 10_000;
    private long maxBacklogBytes = Long.MAX_VALUE;
    private long maxBacklogMessages = Long.MAX_VALUE;
    private Duration retentionPeriod = Duration.ofDays(4);
    private Duration deduplicationWindow = Duration.ofMinutes(5);

    private Builder() {}

    /**
     * Sets how long a FIFO queue remembers a message's group and deduplication id (about 5 minutes
     * in queue-run and Amazon SQS FIFO).
     *
     * @param window 1 s..1 day
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder deduplicationWindow(Duration window) {
      requireNonNull(window, "window");
      this.deduplicationWindow = Checks.requireInRange(
          "deduplicationWindow", window, Duration.ofSeconds(1), Duration.ofDays(1));
      return this;
    }

    private Builder(QueueSettings s) {
      this.deliveryDelay = s.deliveryDelay;
      this.deadLetterCapacity = s.deadLetterCapacity;
      this.maxBacklogBytes = s.maxBacklogBytes;
      this.maxBacklogMessages = s.maxBacklogMessages;
      this.retentionPeriod = s.retentionPeriod;
      this.deduplicationWindow = s.deduplicationWindow;
    }

    /**
     * Sets the most encoded body bytes the queue may hold.
     *
     * @param bytes at least 1; {@link Long#MAX_VALUE} for no limit of the queue's own
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes < 1}
     */
    public Builder maxBacklogBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBacklogBytes must be at least 1 but was " + bytes);
      }
      this.maxBacklogBytes = bytes;
      return this;
    }

    /**
     * Sets the most messages the queue may hold.
     *
     * @param messages at least 1; {@link Long#MAX_VALUE} for no limit of the queue's own
     * @return this builder
     * @throws IllegalArgumentException if {@code messages < 1}
     */
    public Builder maxBacklogMessages(long messages) {
      if (messages < 1) {
        throw new IllegalArgumentException(
            "maxBacklogMessages must be at least 1 but was " + messages);
      }
      this.maxBacklogMessages = messages;
      return this;
    }

    /**
     * Sets how long a message may stay in the queue after it was sent.
     *
     * @param retentionPeriod 60 s..14 days
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder retentionPeriod(Duration retentionPeriod) {
      requireNonNull(retentionPeriod, "retentionPeriod");
      this.retentionPeriod =
          Checks.requireInRange("retentionPeriod", retentionPeriod, MIN_RETENTION, MAX_RETENTION);
      return this;
    }

    /**
     * Sets the delay of messages sent without an explicit delay.
     *
     * @param deliveryDelay whole seconds in 0..86,400
     * @return this builder
     * @throws IllegalArgumentException if out of range or not whole seconds
     */
    public Builder deliveryDelay(Duration deliveryDelay) {
      requireNonNull(deliveryDelay, "deliveryDelay");
      Checks.requireInRange(
          "deliveryDelay", deliveryDelay, Duration.ZERO, ConsumerSettings.MAX_DELAY);
      if (deliveryDelay.toNanosPart() != 0) {
        throw new IllegalArgumentException(
            "deliveryDelay must be whole seconds but was " + deliveryDelay);
      }
      this.deliveryDelay = deliveryDelay;
      return this;
    }

    /**
     * Sets how many dead letters the queue keeps while it has no consumer.
     *
     * @param deadLetterCapacity 1..10,000,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder deadLetterCapacity(int deadLetterCapacity) {
      this.deadLetterCapacity =
          Checks.requireInRange("deadLetterCapacity", deadLetterCapacity, 1, 10_000_000);
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     */
    public QueueSettings build() {
      return new QueueSettings(this);
    }
  }
}

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
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class QueueSettings {
  private static final QueueSettings DEFAULTS = builder().build();

  private final Duration deliveryDelay;
  private final int deadLetterCapacity;

  private QueueSettings(Builder b) {
    this.deliveryDelay = b.deliveryDelay;
    this.deadLetterCapacity = b.deadLetterCapacity;
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
        && deadLetterCapacity == other.deadLetterCapacity;
  }

  @Override
  public int hashCode() {
    return Objects.hash(deliveryDelay, deadLetterCapacity);
  }

  @Override
  public String toString() {
    return "QueueSettings{deliveryDelay=" + deliveryDelay + ", deadLetterCapacity="
        + deadLetterCapacity + "}";
  }

  /** Builds {@link QueueSettings}. Not thread-safe. */
  public static final class Builder {
    private Duration deliveryDelay = Duration.ZERO;
    private int deadLetterCapacity = 10_000;

    private Builder() {}

    private Builder(QueueSettings s) {
      this.deliveryDelay = s.deliveryDelay;
      this.deadLetterCapacity = s.deadLetterCapacity;
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

package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a pull consumer (Cloudflare's {@code http_pull} consumer type): clients pull batches
 * with a visibility timeout and acknowledge or retry each message by its lease.
 *
 * <table>
 *   <caption>Pull consumer settings</caption>
 *   <tr><th>Setting</th><th>Default</th><th>Range</th></tr>
 *   <tr><td>{@code batchSize}</td><td>5</td><td>1..100</td></tr>
 *   <tr><td>{@code visibilityTimeout}</td><td>30 s</td><td>1 ms..12 h</td></tr>
 *   <tr><td>{@code maxRetries}</td><td>3</td><td>0..100</td></tr>
 *   <tr><td>{@code retryDelay}</td><td>0</td><td>0..86,400 s</td></tr>
 *   <tr><td>{@code deadLetterQueue}</td><td>none</td><td>another queue</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe.
 */
public final class PullSettings {
  /** The longest visibility timeout. */
  static final Duration MAX_VISIBILITY_TIMEOUT = Duration.ofHours(12);

  private static final PullSettings DEFAULTS = builder().build();

  private final int batchSize;
  private final Duration visibilityTimeout;
  private final int maxRetries;
  private final Duration retryDelay;
  private final @Nullable String deadLetterQueue;

  private PullSettings(Builder b) {
    this.batchSize = b.batchSize;
    this.visibilityTimeout = b.visibilityTimeout;
    this.maxRetries = b.maxRetries;
    this.retryDelay = b.retryDelay;
    this.deadLetterQueue = b.deadLetterQueue;
  }

  /**
   * Returns the default settings.
   *
   * @return the defaults
   */
  public static PullSettings defaults() {
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
   * Returns how many messages a pull takes when it does not say.
   *
   * @return 1..100
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Returns how long a pulled message stays leased when the pull does not say: not acknowledged
   * or retried by then, it counts as a failed delivery.
   *
   * @return 1 ms..12 h
   */
  public Duration visibilityTimeout() {
    return visibilityTimeout;
  }

  /**
   * Returns how many times a message is retried: it is delivered at most {@code maxRetries + 1}
   * times.
   *
   * @return 0..100
   */
  public int maxRetries() {
    return maxRetries;
  }

  /**
   * Returns the delay before a failed message (retried without a delay of its own, or whose lease
   * ran out) can be pulled again.
   *
   * @return 0..86,400 s
   */
  public Duration retryDelay() {
    return retryDelay;
  }

  /**
   * Returns the queue that receives messages after their last failed delivery.
   *
   * @return the dead-letter queue's name, if any
   */
  public Optional<String> deadLetterQueue() {
    return Optional.ofNullable(deadLetterQueue);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PullSettings other
        && batchSize == other.batchSize
        && visibilityTimeout.equals(other.visibilityTimeout)
        && maxRetries == other.maxRetries
        && retryDelay.equals(other.retryDelay)
        && Objects.equals(deadLetterQueue, other.deadLetterQueue);
  }

  @Override
  public int hashCode() {
    return Objects.hash(batchSize, visibilityTimeout, maxRetries, retryDelay, deadLetterQueue);
  }

  @Override
  public String toString() {
    return "PullSettings{batchSize=" + batchSize + ", visibilityTimeout=" + visibilityTimeout
        + ", maxRetries=" + maxRetries + ", retryDelay=" + retryDelay
        + (deadLetterQueue == null ? "" : ", deadLetterQueue=" + deadLetterQueue) + "}";
  }

  /** Builds {@link PullSettings}; each setter rejects a value out of range. Not thread-safe. */
  public static final class Builder {
    private int batchSize = 5;
    private Duration visibilityTimeout = Duration.ofSeconds(30);
    private int maxRetries = 3;
    private Duration retryDelay = Duration.ZERO;
    private @Nullable String deadLetterQueue;

    private Builder() {}

    private Builder(PullSettings s) {
      this.batchSize = s.batchSize;
      this.visibilityTimeout = s.visibilityTimeout;
      this.maxRetries = s.maxRetries;
      this.retryDelay = s.retryDelay;
      this.deadLetterQueue = s.deadLetterQueue;
    }

    /**
     * Sets how many messages a pull takes when it does not say.
     *
     * @param batchSize 1..100
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder batchSize(int batchSize) {
      this.batchSize =
          Checks.requireInRange("batchSize", batchSize, 1, ConsumerSettings.MAX_BATCH_SIZE);
      return this;
    }

    /**
     * Sets the default lease of a pulled message.
     *
     * @param visibilityTimeout 1 ms..12 h
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder visibilityTimeout(Duration visibilityTimeout) {
      requireNonNull(visibilityTimeout, "visibilityTimeout");
      this.visibilityTimeout = Checks.requireInRange(
          "visibilityTimeout", visibilityTimeout, Duration.ofMillis(1), MAX_VISIBILITY_TIMEOUT);
      return this;
    }

    /**
     * Sets how many times a message is retried.
     *
     * @param maxRetries 0..100
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries =
          Checks.requireInRange("maxRetries", maxRetries, 0, ConsumerSettings.MAX_RETRIES);
      return this;
    }

    /**
     * Sets the delay before a failed message can be pulled again.
     *
     * @param retryDelay 0..86,400 s
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder retryDelay(Duration retryDelay) {
      requireNonNull(retryDelay, "retryDelay");
      this.retryDelay = Checks.requireInRange(
          "retryDelay", retryDelay, Duration.ZERO, ConsumerSettings.MAX_DELAY);
      return this;
    }

    /**
     * Sets the queue that receives messages after their last failed delivery.
     *
     * @param deadLetterQueue the queue name, not blank
     * @return this builder
     * @throws IllegalArgumentException if the name is blank
     */
    public Builder deadLetterQueue(String deadLetterQueue) {
      this.deadLetterQueue = QueueSettings.requireQueueName(deadLetterQueue);
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     */
    public PullSettings build() {
      return new PullSettings(this);
    }
  }
}

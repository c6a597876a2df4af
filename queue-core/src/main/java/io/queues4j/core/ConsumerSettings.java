package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a queue consumer; names, defaults and ranges follow wrangler's {@code
 * [[queues.consumers]]}.
 *
 * <table>
 *   <caption>Consumer settings</caption>
 *   <tr><th>Setting</th><th>Default</th><th>Range</th></tr>
 *   <tr><td>{@code maxBatchSize}</td><td>10</td><td>1..100</td></tr>
 *   <tr><td>{@code maxBatchTimeout}</td><td>5 s</td><td>0..60 s</td></tr>
 *   <tr><td>{@code maxRetries}</td><td>3</td><td>0..100</td></tr>
 *   <tr><td>{@code retryDelay}</td><td>0</td><td>0..86,400 s</td></tr>
 *   <tr><td>{@code deadLetterQueue}</td><td>none</td><td>another queue</td></tr>
 *   <tr><td>{@code maxConcurrency}</td><td>the engine's default</td><td>1..250</td></tr>
 *   <tr><td>{@code handlerTimeout}</td><td>5 min</td><td>1 ms..24 h</td></tr>
 * </table>
 *
 * <p>Cloudflare's hosted default for {@code maxConcurrency} autoscales up to 250; in process, where
 * each concurrent invocation takes a thread, settings that leave it unset get the engine's {@link
 * QueueEngine.Builder#defaultMaxConcurrency default}, which follows the machine (its processors, at
 * least 2) unless the engine sets another (the testkit fixes it, so that a test gives the same
 * result on every machine).
 *
 * <p>Immutable and thread-safe.
 */
public final class ConsumerSettings {
  /** The most messages in one batch. */
  static final int MAX_BATCH_SIZE = 100;

  /** The longest batch timeout. */
  static final Duration MAX_BATCH_TIMEOUT = Duration.ofSeconds(60);

  /** The most retries. */
  static final int MAX_RETRIES = 100;

  /** The longest retry delay. */
  static final Duration MAX_DELAY = Duration.ofDays(1); // 86,400 s

  /** The most concurrent invocations. */
  static final int MAX_CONCURRENCY = 250;

  /** {@code maxConcurrency} left to the engine. */
  private static final int UNSET = 0;

  private static final ConsumerSettings DEFAULTS = builder().build();

  private final int maxBatchSize;
  private final Duration maxBatchTimeout;
  private final int maxRetries;
  private final Duration retryDelay;
  private final @Nullable String deadLetterQueue;
  private final int maxConcurrency;
  private final Duration handlerTimeout;

  private ConsumerSettings(Builder b) {
    this.maxBatchSize = b.maxBatchSize;
    this.maxBatchTimeout = b.maxBatchTimeout;
    this.maxRetries = b.maxRetries;
    this.retryDelay = b.retryDelay;
    this.deadLetterQueue = b.deadLetterQueue;
    this.maxConcurrency = b.maxConcurrency;
    this.handlerTimeout = b.handlerTimeout;
  }

  /**
   * Returns the default settings.
   *
   * @return the defaults
   */
  public static ConsumerSettings defaults() {
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
   * Returns the most messages delivered in one batch.
   *
   * @return 1..100
   */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /**
   * Returns how long a partial batch waits for more messages, counted from when its first message
   * became ready.
   *
   * @return 0..60 s
   */
  public Duration maxBatchTimeout() {
    return maxBatchTimeout;
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
   * Returns the delay before a retried message is delivered again, unless the retry names its own.
   *
   * @return 0..86,400 s
   */
  public Duration retryDelay() {
    return retryDelay;
  }

  /**
   * Returns the queue that receives messages after their last failed delivery; without one they
   * are dropped (logged and counted).
   *
   * @return the dead-letter queue's name, if any
   */
  public Optional<String> deadLetterQueue() {
    return Optional.ofNullable(deadLetterQueue);
  }

  /**
   * Returns the most handler invocations that may run at once for this consumer, if set.
   *
   * @return 1..250, or empty for the engine's {@link QueueEngine.Builder#defaultMaxConcurrency
   *     default}
   */
  public OptionalInt maxConcurrency() {
    return maxConcurrency == UNSET ? OptionalInt.empty() : OptionalInt.of(maxConcurrency);
  }

  /**
   * Returns how long an invocation may run, {@code waitUntil} stages included, before it counts
   * as failed: its messages not explicitly acknowledged are retried and its thread is interrupted.
   *
   * @return a positive duration
   */
  public Duration handlerTimeout() {
    return handlerTimeout;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsumerSettings other
        && maxBatchSize == other.maxBatchSize
        && maxBatchTimeout.equals(other.maxBatchTimeout)
        && maxRetries == other.maxRetries
        && retryDelay.equals(other.retryDelay)
        && Objects.equals(deadLetterQueue, other.deadLetterQueue)
        && maxConcurrency == other.maxConcurrency
        && handlerTimeout.equals(other.handlerTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxBatchSize,
        maxBatchTimeout,
        maxRetries,
        retryDelay,
        deadLetterQueue,
        maxConcurrency,
        handlerTimeout);
  }

  /** Lists only the settings that differ from the defaults. */
  @Override
  public String toString() {
    Builder d = new Builder();
    StringBuilder s = new StringBuilder("ConsumerSettings{");
    String sep = "";
    if (maxBatchSize != d.maxBatchSize) {
      s.append(sep).append("maxBatchSize=").append(maxBatchSize);
      sep = ", ";
    }
    if (!maxBatchTimeout.equals(d.maxBatchTimeout)) {
      s.append(sep).append("maxBatchTimeout=").append(maxBatchTimeout);
      sep = ", ";
    }
    if (maxRetries != d.maxRetries) {
      s.append(sep).append("maxRetries=").append(maxRetries);
      sep = ", ";
    }
    if (!retryDelay.equals(d.retryDelay)) {
      s.append(sep).append("retryDelay=").append(retryDelay);
      sep = ", ";
    }
    if (deadLetterQueue != null) {
      s.append(sep).append("deadLetterQueue=").append(deadLetterQueue);
      sep = ", ";
    }
    if (maxConcurrency != d.maxConcurrency) {
      s.append(sep).append("maxConcurrency=").append(maxConcurrency);
      sep = ", ";
    }
    if (!handlerTimeout.equals(d.handlerTimeout)) {
      s.append(sep).append("handlerTimeout=").append(handlerTimeout);
    }
    return s.append('}').toString();
  }

  /** Builds {@link ConsumerSettings}; each setter rejects a value out of range. Not thread-safe. */
  public static final class Builder {
    private int maxBatchSize = 10;
    private Duration maxBatchTimeout = Duration.ofSeconds(5);
    private int maxRetries = 3;
    private Duration retryDelay = Duration.ZERO;
    private @Nullable String deadLetterQueue;
    private int maxConcurrency = UNSET;
    private Duration handlerTimeout = Duration.ofMinutes(5);

    private Builder() {}

    private Builder(ConsumerSettings s) {
      this.maxBatchSize = s.maxBatchSize;
      this.maxBatchTimeout = s.maxBatchTimeout;
      this.maxRetries = s.maxRetries;
      this.retryDelay = s.retryDelay;
      this.deadLetterQueue = s.deadLetterQueue;
      this.maxConcurrency = s.maxConcurrency;
      this.handlerTimeout = s.handlerTimeout;
    }

    /**
     * Sets the most messages delivered in one batch.
     *
     * @param maxBatchSize 1..100
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = Checks.requireInRange("maxBatchSize", maxBatchSize, 1, MAX_BATCH_SIZE);
      return this;
    }

    /**
     * Sets how long a partial batch waits for more messages.
     *
     * @param maxBatchTimeout 0..60 s; millisecond precision
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxBatchTimeout(Duration maxBatchTimeout) {
      requireNonNull(maxBatchTimeout, "maxBatchTimeout");
      this.maxBatchTimeout =
          Checks.requireInRange("maxBatchTimeout", maxBatchTimeout, Duration.ZERO, MAX_BATCH_TIMEOUT);
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
      this.maxRetries = Checks.requireInRange("maxRetries", maxRetries, 0, MAX_RETRIES);
      return this;
    }

    /**
     * Sets the default delay before a retried message is delivered again.
     *
     * @param retryDelay 0..86,400 s; millisecond precision
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder retryDelay(Duration retryDelay) {
      requireNonNull(retryDelay, "retryDelay");
      this.retryDelay = Checks.requireInRange("retryDelay", retryDelay, Duration.ZERO, MAX_DELAY);
      return this;
    }

    /**
     * Sets the dead-letter queue. It is declared with default settings if it does not exist yet;
     * it must not be the consumed queue itself nor lead back to it.
     *
     * @param deadLetterQueue a queue name, not blank
     * @return this builder
     * @throws IllegalArgumentException if the name is blank
     */
    public Builder deadLetterQueue(String deadLetterQueue) {
      this.deadLetterQueue = QueueSettings.requireQueueName(deadLetterQueue);
      return this;
    }

    /**
     * Sets the most handler invocations that may run at once.
     *
     * @param maxConcurrency 1..250
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxConcurrency(int maxConcurrency) {
      this.maxConcurrency =
          Checks.requireInRange("maxConcurrency", maxConcurrency, 1, MAX_CONCURRENCY);
      return this;
    }

    /**
     * Sets how long an invocation may run before it counts as failed.
     *
     * @param handlerTimeout 1 ms..24 h
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder handlerTimeout(Duration handlerTimeout) {
      requireNonNull(handlerTimeout, "handlerTimeout");
      this.handlerTimeout =
          Checks.requireInRange(
              "handlerTimeout", handlerTimeout, Duration.ofMillis(1), Duration.ofHours(24));
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     */
    public ConsumerSettings build() {
      return new ConsumerSettings(this);
    }
  }
}

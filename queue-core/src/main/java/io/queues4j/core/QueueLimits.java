package io.queues4j.core;

import java.util.Objects;

/**
 * The size limits a send must respect, measured on encoded bodies. The defaults are Cloudflare's
 * (developers.cloudflare.com/queues/platform/limits, checked 2026-11): 128,000 bytes per message,
 * 100 messages and 256,000 bytes per {@code sendBatch} (1 KB = 1000 B). Override them to emulate
 * another runtime, e.g. W7S's 64 KB envelope.
 *
 * <p>Immutable and thread-safe.
 */
public final class QueueLimits {
  private static final QueueLimits CLOUDFLARE = builder().build();

  private final int maxMessageBytes;
  private final int maxBatchBytes;
  private final int maxBatchMessages;

  private QueueLimits(Builder b) {
    this.maxMessageBytes = b.maxMessageBytes;
    this.maxBatchBytes = b.maxBatchBytes;
    this.maxBatchMessages = b.maxBatchMessages;
  }

  /**
   * Returns Cloudflare's limits.
   *
   * @return the default limits
   */
  public static QueueLimits cloudflare() {
    return CLOUDFLARE;
  }

  /**
   * Returns a builder starting from Cloudflare's limits.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the largest encoded body a message may have.
   *
   * @return bytes
   */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /**
   * Returns the largest total encoded size of a batch.
   *
   * @return bytes
   */
  public int maxBatchBytes() {
    return maxBatchBytes;
  }

  /**
   * Returns the most messages a batch may hold.
   *
   * @return a count
   */
  public int maxBatchMessages() {
    return maxBatchMessages;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueueLimits other
        && maxMessageBytes == other.maxMessageBytes
        && maxBatchBytes == other.maxBatchBytes
        && maxBatchMessages == other.maxBatchMessages;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxMessageBytes, maxBatchBytes, maxBatchMessages);
  }

  @Override
  public String toString() {
    return "QueueLimits{maxMessageBytes=" + maxMessageBytes + ", maxBatchBytes=" + maxBatchBytes
        + ", maxBatchMessages=" + maxBatchMessages + "}";
  }

  /** Builds {@link QueueLimits}. Not thread-safe. */
  public static final class Builder {
    private int maxMessageBytes = 128_000;
    private int maxBatchBytes = 256_000;
    private int maxBatchMessages = 100;

    private Builder() {}

    /**
     * Sets the largest encoded body a message may have.
     *
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes < 1}
     */
    public Builder maxMessageBytes(int bytes) {
      this.maxMessageBytes = Checks.requireInRange("maxMessageBytes", bytes, 1, Integer.MAX_VALUE);
      return this;
    }

    /**
     * Sets the largest total encoded size of a batch.
     *
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes < 1}
     */
    public Builder maxBatchBytes(int bytes) {
      this.maxBatchBytes = Checks.requireInRange("maxBatchBytes", bytes, 1, Integer.MAX_VALUE);
      return this;
    }

    /**
     * Sets the most messages a batch may hold.
     *
     * @param count at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public Builder maxBatchMessages(int count) {
      this.maxBatchMessages = Checks.requireInRange("maxBatchMessages", count, 1, 100_000);
      return this;
    }

    /**
     * Builds the limits.
     *
     * @return the limits
     */
    public QueueLimits build() {
      return new QueueLimits(this);
    }
  }
}

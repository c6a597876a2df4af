package io.queues4j.core;

import io.queues4j.QueueRetryOptions;
import org.jspecify.annotations.Nullable;

/**
 * What a message or a batch was marked with: acknowledged, retried with some options, or closed
 * (the invocation settled, later calls have no effect). Compared by identity; each retry is a new
 * instance carrying its options.
 */
final class Mark {
  static final Mark ACK = new Mark(null);
  static final Mark CLOSED = new Mark(null);

  /** A retry with the consumer's {@code retryDelay}: a throw, a timeout, an undecodable body. */
  static final Mark RETRY = new Mark(QueueRetryOptions.DEFAULT);

  private final @Nullable QueueRetryOptions retry;

  private Mark(@Nullable QueueRetryOptions retry) {
    this.retry = retry;
  }

  static Mark retry(QueueRetryOptions options) {
    return new Mark(options);
  }

  /** The retry options, or {@code null} for {@link #ACK} and {@link #CLOSED}. */
  @Nullable QueueRetryOptions retryOptions() {
    return retry;
  }

  boolean isAck() {
    return this == ACK;
  }

  /** The call that set this mark, as workerd words its warnings. */
  String call(boolean batch) {
    if (this == ACK) {
      return batch ? "ackAll()" : "ack()";
    }
    return batch ? "retryAll()" : "retry()";
  }
}

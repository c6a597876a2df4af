package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import io.queues4j.Message;
import io.queues4j.QueueRetryOptions;
import io.queues4j.spi.StoredMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message of a delivered batch. Its {@link Mark} ({@code null} = unmarked, ack, retry, or
 * closed once settled) is set by compare-and-set,
 * so the first call wins and a call after settlement is seen as late, from any thread.
 */
final class DeliveredMessage<B> implements Message<B> {
  private static final Logger logger = LoggerFactory.getLogger(DeliveredMessage.class);
  private static final VarHandle MARK;

  static {
    try {
      MARK =
          MethodHandles.lookup().findVarHandle(DeliveredMessage.class, "mark", Mark.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Invocation<B> invocation;
  private final StoredMessage stored;
  private final B body;
  private final int attempts;
  private final long sequence;
  private @Nullable String id;

  @SuppressWarnings("unused") // accessed through MARK
  private volatile @Nullable Mark mark;

  DeliveredMessage(Invocation<B> invocation, StoredMessage stored, long sequence, B body) {
    this.invocation = invocation;
    this.stored = stored;
    this.body = body;
    this.attempts = stored.attempts();
    this.sequence = sequence;
  }

  @Override
  public java.util.Optional<String> groupId() {
    return java.util.Optional.ofNullable(stored.groupId());
  }

  @Override
  public java.util.OptionalLong sequenceNumber() {
    return java.util.OptionalLong.of(sequence);
  }

  @Override
  public String id() {
    String text = id;
    if (text == null) {
      text = stored.id();
      id = text;
    }
    return text;
  }

  @Override
  public Instant timestamp() {
    return Instant.ofEpochMilli(stored.timestamp());
  }

  @Override
  public B body() {
    return body;
  }

  @Override
  public int attempts() {
    return attempts;
  }

  @Override
  public void ack() {
    mark(Mark.ACK, "ack()");
  }

  @Override
  public void retry(QueueRetryOptions options) {
    requireNonNull(options, "options");
    mark(Mark.retry(options), "retry()");
  }

  private void mark(Mark value, String call) {
    Mark batchMark = invocation.batchMark();
    if (batchMark == Mark.CLOSED) {
      logger.warn(
          "Calling {} on message {} of queue '{}' after its invocation ended has no effect.",
          call, id(), invocation.queue());
      return;
    }
    if (batchMark != null) {
      logger.warn(
          "Calling {} on message {} of queue '{}' after calling {} has no effect.",
          call, id(), invocation.queue(), batchMark.call(true));
      return;
    }
    if (MARK.compareAndSet(this, null, value)) {
      return;
    }
    Mark current = (Mark) MARK.getVolatile(this);
    if (current == null) {
      return; // unreachable: the mark is only ever set once
    }
    if (current == Mark.CLOSED) {
      logger.warn(
          "Calling {} on message {} of queue '{}' after its invocation ended has no effect.",
          call, id(), invocation.queue());
    } else if (current.isAck() != value.isAck()) {
      logger.warn(
          "Calling {} on message {} of queue '{}' after calling {} has no effect.",
          call, id(), invocation.queue(), current.call(false));
    }
  }

  /** Ends marking; returns the mark set before, or {@code null}. */
  @Nullable Mark close() {
    return (Mark) MARK.getAndSet(this, Mark.CLOSED);
  }
}

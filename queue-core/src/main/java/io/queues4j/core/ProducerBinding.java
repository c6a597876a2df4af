package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import io.queues4j.BatchTooLargeException;
import io.queues4j.EmptyBatchException;
import io.queues4j.MessageSendRequest;
import io.queues4j.MessageTooLargeException;
import io.queues4j.Queue;
import io.queues4j.QueueClosedException;
import io.queues4j.QueueException;
import io.queues4j.QueueMetrics;
import io.queues4j.QueueSendBatchOptions;
import io.queues4j.QueueSendOptions;
import io.queues4j.QueueSendResult;
import io.queues4j.TooManyMessagesException;
import io.queues4j.spi.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * The producer side of a queue: validates, encodes once, checks limits, then hands the messages to
 * the queue in one step, so a failed send or batch enqueues nothing.
 */
final class ProducerBinding<B> implements Queue<B> {
  private final QueueRuntime runtime;
  private final EngineContext engine;
  private final long maxWaitMillis;

  ProducerBinding(QueueRuntime runtime, EngineContext engine, long maxWaitMillis) {
    this.runtime = runtime;
    this.engine = engine;
    this.maxWaitMillis = maxWaitMillis;
  }

  @Override
  public String name() {
    return runtime.name;
  }

  @Override
  public CompletableFuture<QueueSendResult> send(B body, QueueSendOptions options) {
    try {
      StoredMessage message = encode(body, options);
      return runtime.accept(List.of(message), message.timestamp(), maxWaitMillis, "send");
    } catch (QueueException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Validates and encodes one message, with its id, send time and visibility; sends nothing.
   *
   * @throws QueueException if the message breaks a limit or cannot be encoded
   */
  StoredMessage encode(B body, QueueSendOptions options) {
    requireNonNull(body, "body");
    requireNonNull(options, "options");
    checkAccepting();
    byte[] encoded = engine.codec.encode(runtime.name, body, options.contentType());
    checkMessageSize("send", encoded);
    long now = engine.sendTime();
    long sequence = engine.ids.reserve(1);
    return StoredMessage.of(
        engine.ids.high(),
        engine.ids.low(sequence),
        now,
        encoded,
        options.contentType(),
        now + delayMillis(options.delaySeconds(), OptionalInt.empty()),
        0);
  }

  @Override
  public CompletableFuture<QueueSendResult> sendBatch(
      Iterable<MessageSendRequest<B>> messages, QueueSendBatchOptions options) {
    try {
      List<StoredMessage> stored = encodeBatch(messages, options);
      return runtime.accept(stored, stored.get(0).timestamp(), maxWaitMillis, "sendBatch");
    } catch (QueueException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Validates and encodes a batch, with ids, send time and visibility; sends nothing.
   *
   * @throws QueueException if the batch breaks a limit or a body cannot be encoded
   */
  List<StoredMessage> encodeBatch(
      Iterable<MessageSendRequest<B>> messages, QueueSendBatchOptions options) {
    requireNonNull(messages, "messages");
    requireNonNull(options, "options");
    int limit = engine.limits.maxBatchMessages();
    List<MessageSendRequest<B>> requests = new ArrayList<>(Math.min(limit, 16));
    if (messages instanceof java.util.Collection<?> all && all.size() > limit) {
      throw new TooManyMessagesException(runtime.name, limit, all.size());
    }
    for (MessageSendRequest<B> request : messages) {
      requests.add(requireNonNull(request, "messages must not contain null"));
      if (requests.size() > limit) { // stop at the first one too many: the rest may be endless
        throw new TooManyMessagesException(runtime.name, limit, requests.size(), true);
      }
    }
    checkAccepting();
    if (requests.isEmpty()) {
      throw new EmptyBatchException(runtime.name);
    }
    byte[][] encoded = new byte[requests.size()][];
    long total = 0;
    for (int i = 0; i < encoded.length; i++) {
      MessageSendRequest<B> request = requests.get(i);
      encoded[i] = engine.codec.encode(runtime.name, request.body(), request.contentType());
      checkMessageSize("sendBatch", encoded[i]);
      total += encoded[i].length;
    }
    if (total > engine.limits.maxBatchBytes()) {
      throw new BatchTooLargeException(runtime.name, engine.limits.maxBatchBytes(), total);
    }
    long now = engine.sendTime();
    long sequence = engine.ids.reserve(encoded.length);
    List<StoredMessage> stored = new ArrayList<>(encoded.length);
    for (int i = 0; i < encoded.length; i++) {
      MessageSendRequest<B> request = requests.get(i);
      long visibleAt = now + delayMillis(request.delaySeconds(), options.delaySeconds());
      stored.add(StoredMessage.of(engine.ids.high(), engine.ids.low(sequence + i), now,
          encoded[i], request.contentType(), visibleAt, 0));
    }
    return stored;
  }

  @Override
  public CompletableFuture<QueueMetrics> metrics() {
    return CompletableFuture.completedFuture(runtime.metrics());
  }

  private void checkAccepting() {
    if (!engine.accepting()) {
      throw new QueueClosedException(runtime.name);
    }
  }

  private void checkMessageSize(String operation, byte[] encoded) {
    int limit = engine.limits.maxMessageBytes();
    if (encoded.length > limit) {
      throw new MessageTooLargeException(runtime.name, operation, limit, encoded.length);
    }
  }

  /** A message's own delay wins, then the batch's, then the queue's delivery delay. */
  private long delayMillis(OptionalInt own, OptionalInt batch) {
    if (own.isPresent()) {
      return own.getAsInt() * 1000L;
    }
    if (batch.isPresent()) {
      return batch.getAsInt() * 1000L;
    }
    return runtime.deliveryDelayMillis();
  }

  @Override
  public String toString() {
    return "Queue{" + runtime.name + "}";
  }
}

package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import io.queues4j.BatchTooLargeException;
import io.queues4j.EmptyBatchException;
import io.queues4j.FifoQueueException;
import io.queues4j.MessageSendRequest;
import io.queues4j.MessageTooLargeException;
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
import org.jspecify.annotations.Nullable;

/**
 * The producer side of a queue: validates, encodes once, checks limits, then hands the messages to
 * the queue in one step, so a failed send or batch enqueues nothing.
 */
final class ProducerBinding<B> implements FifoQueue<B> {
  /** The longest group or deduplication id, as Amazon SQS FIFO's. */
  private static final int MAX_ID_LENGTH = 128;

  private final QueueRuntime runtime;
  private final EngineContext engine;
  private final long maxWaitMillis;
  private final @Nullable String groupId;
  private final @Nullable String dedupeId;

  ProducerBinding(QueueRuntime runtime, EngineContext engine, long maxWaitMillis) {
    this(runtime, engine, maxWaitMillis, null, null);
  }

  private ProducerBinding(QueueRuntime runtime, EngineContext engine, long maxWaitMillis,
      @Nullable String groupId, @Nullable String dedupeId) {
    this.runtime = runtime;
    this.engine = engine;
    this.maxWaitMillis = maxWaitMillis;
    this.groupId = groupId;
    this.dedupeId = dedupeId;
  }

  @Override
  public FifoQueue<B> group(String groupId) {
    return new ProducerBinding<>(
        runtime, engine, maxWaitMillis, requireId("groupId", groupId), dedupeId);
  }

  @Override
  public FifoQueue<B> dedupe(String dedupeId) {
    return new ProducerBinding<>(
        runtime, engine, maxWaitMillis, groupId, requireId("dedupeId", dedupeId));
  }

  private static String requireId(String what, String id) {
    requireNonNull(id, what);
    if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(what + " must be 1 to " + MAX_ID_LENGTH
          + " characters, not blank, but was '" + id + "'");
    }
    return id;
  }

  /**
   * Checks the FIFO rules of a send: a FIFO queue needs a group and takes no per-message delay;
   * a standard queue takes no group or deduplication id.
   */
  private void checkFifo(String operation, OptionalInt delaySeconds, boolean batch) {
    if (!runtime.fifo) {
      if (groupId != null || dedupeId != null) {
        throw new FifoQueueException(runtime.name, operation, "group and deduplication ids are"
            + " for FIFO queues (names ending in .fifo), but '" + runtime.name + "' is standard");
      }
      return;
    }
    if (groupId == null) {
      throw new FifoQueueException(runtime.name, operation,
          "a FIFO queue needs a group id: send through queue.group(id)");
    }
    if (delaySeconds.isPresent()) {
      throw new FifoQueueException(runtime.name, operation, "a FIFO queue takes no per-message"
          + " delay (delaySeconds " + delaySeconds.getAsInt() + "), only its deliveryDelay");
    }
    if (batch && dedupeId != null) {
      throw new FifoQueueException(runtime.name, operation, "dedupe(id) applies to one message;"
          + " a batch's messages are deduplicated by their bodies");
    }
  }

  /** What makes a FIFO message a duplicate: its explicit id, or the SHA-256 of its body. */
  private String dedupeKey(byte[] encoded) {
    if (dedupeId != null) {
      return "id:" + dedupeId;
    }
    return BodyDigest.key(encoded);
  }

  private StoredMessage stored(long sequence, long now, byte[] encoded,
      io.queues4j.QueueContentType contentType, long visibleAt) {
    String group = groupId;
    return runtime.fifo && group != null
        ? StoredMessage.of(engine.ids.high(), engine.ids.low(sequence), now, encoded, contentType,
            visibleAt, 0, group, dedupeKey(encoded))
        : StoredMessage.of(engine.ids.high(), engine.ids.low(sequence), now, encoded, contentType,
            visibleAt, 0);
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
    checkFifo("send", options.delaySeconds(), false);
    byte[] encoded = engine.codec.encode(runtime.name, body, options.contentType());
    checkMessageSize("send", encoded);
    long now = engine.sendTime();
    long sequence = engine.ids.reserve(1);
    return stored(sequence, now, encoded, options.contentType(),
        now + delayMillis(options.delaySeconds(), OptionalInt.empty()));
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
    checkFifo("sendBatch", options.delaySeconds(), true);
    for (MessageSendRequest<B> request : requests) {
      checkFifo("sendBatch", request.delaySeconds(), true);
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
      stored.add(stored(sequence + i, now, encoded[i], request.contentType(), visibleAt));
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
    return "Queue{" + runtime.name + (groupId == null ? "" : ", group=" + groupId)
        + (dedupeId == null ? "" : ", dedupe=" + dedupeId) + "}";
  }
}

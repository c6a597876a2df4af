package io.queues4j.core;

import io.queues4j.QueueHandler;
import org.jspecify.annotations.Nullable;

/** A consumer attached to a queue: its settings, body decoder, handler and dead-letter queue. */
final class ConsumerBinding<B> {
  final ConsumerSettings settings;
  final MessageCodec.BodyReader reader;
  final QueueHandler<B> handler;
  final @Nullable QueueRuntime deadLetterQueue;
  final long batchTimeoutMillis;
  final long retryDelayMillis;
  final long handlerTimeoutMillis;
  final int maxConcurrency;

  ConsumerBinding(
      ConsumerSettings settings,
      MessageCodec.BodyReader reader,
      QueueHandler<B> handler,
      @Nullable QueueRuntime deadLetterQueue,
      int defaultMaxConcurrency) {
    this.settings = settings;
    this.reader = reader;
    this.handler = handler;
    this.deadLetterQueue = deadLetterQueue;
    this.batchTimeoutMillis = settings.maxBatchTimeout().toMillis();
    this.retryDelayMillis = settings.retryDelay().toMillis();
    this.handlerTimeoutMillis = settings.handlerTimeout().toMillis();
    this.maxConcurrency = settings.maxConcurrency().orElse(defaultMaxConcurrency);
  }

  /**
   * Tells whether this consumer can read bodies of {@code type}: its own body type is that type or
   * a supertype, or reads any JSON ({@code Object}, {@code JsonNode}).
   */
  boolean reads(Class<?> type) {
    Class<?> own = reader.type().getRawClass();
    return own.isAssignableFrom(type)
        || own == Object.class
        || own == com.fasterxml.jackson.databind.JsonNode.class;
  }

  @SuppressWarnings("unchecked") // the reader was built for B's JavaType
  B decode(io.queues4j.spi.StoredMessage message) throws java.io.IOException {
    return (B) reader.decode(message.contentType(), message.body());
  }
}

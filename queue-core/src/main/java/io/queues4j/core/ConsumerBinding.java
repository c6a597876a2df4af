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

  ConsumerBinding(
      ConsumerSettings settings,
      MessageCodec.BodyReader reader,
      QueueHandler<B> handler,
      @Nullable QueueRuntime deadLetterQueue) {
    this.settings = settings;
    this.reader = reader;
    this.handler = handler;
    this.deadLetterQueue = deadLetterQueue;
    this.batchTimeoutMillis = settings.maxBatchTimeout().toMillis();
    this.retryDelayMillis = settings.retryDelay().toMillis();
    this.handlerTimeoutMillis = settings.handlerTimeout().toMillis();
  }

  @SuppressWarnings("unchecked") // the reader was built for B's JavaType
  B decode(StoredMessage message) throws java.io.IOException {
    return (B) reader.decode(message.contentType, message.body);
  }
}

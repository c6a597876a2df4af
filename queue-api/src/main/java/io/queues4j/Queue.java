package io.queues4j;

import java.util.concurrent.CompletableFuture;

/**
 * A producer binding to one queue; mirrors Cloudflare's {@code Queue<Body>}.
 *
 * <p><b>Thread-safety:</b> implementations are safe for concurrent use by any number of threads.
 *
 * <p><b>Encoding:</b> a body is encoded once, when it is sent; the consumer receives its own
 * decoded copy, and later changes to the sent object have no effect on the message. Size limits
 * apply to the encoded body (by default 128,000 bytes per message and, for a batch, 100 messages
 * and 256,000 bytes in total).
 *
 * <p><b>Failures:</b> the methods never throw for a failed send other than for {@code null}
 * arguments; a message that breaks a limit, a body that cannot be encoded, a closed engine and
 * similar failures complete the returned future exceptionally with a {@link QueueException}
 * subclass. A failed send or batch enqueues nothing.
 *
 * <p><b>Ordering and delivery:</b> delivery is at-least-once. Messages are delivered in the order
 * they became available as far as batching, concurrency and retries allow (best effort; a retried
 * message goes to the back).
 *
 * @param <Body> the type of message bodies this producer sends
 */
public interface Queue<Body> {

  /**
   * Returns the name of the queue this binding sends to.
   *
   * @return the queue name
   */
  String name();

  /**
   * Sends one JSON message with no explicit delay.
   *
   * @param body the message body
   * @return a future that completes with the queue's metrics once the message is accepted, or
   *     exceptionally with a {@link QueueException}
   * @throws NullPointerException if {@code body} is {@code null} or encodes to JSON {@code null}
   *     (such as Jackson's {@code NullNode})
   */
  default CompletableFuture<QueueSendResult> send(Body body) {
    return send(body, QueueSendOptions.DEFAULT);
  }

  /**
   * Sends one message.
   *
   * @param body the message body
   * @param options content type and delay
   * @return a future that completes with the queue's metrics once the message is accepted, or
   *     exceptionally with {@link MessageTooLargeException}, {@link ContentTypeMismatchException},
   *     {@link UnsupportedContentTypeException}, {@link MessageEncodingException}, {@link
   *     StorageLimitExceededException} (the backlog has no room) or {@link QueueClosedException}
   * @throws NullPointerException if an argument is {@code null}, or the body encodes to JSON {@code
   *     null}
   * @throws IllegalStateException if the engine's clock reads before 1970 (nothing is sent)
   */
  CompletableFuture<QueueSendResult> send(Body body, QueueSendOptions options);

  /**
   * Sends 1 to 100 messages, all or nothing.
   *
   * @param messages the messages, in the order they should be delivered
   * @return a future that completes once every message is accepted, or exceptionally (with nothing
   *     enqueued) with the exceptions of {@link #send(Object, QueueSendOptions)} or {@link
   *     EmptyBatchException}, {@link TooManyMessagesException}, {@link BatchTooLargeException}
   * @throws NullPointerException if {@code messages} or one of its elements is {@code null}
   */
  default CompletableFuture<QueueSendResult> sendBatch(
      Iterable<MessageSendRequest<Body>> messages) {
    return sendBatch(messages, QueueSendBatchOptions.DEFAULT);
  }

  /**
   * Sends 1 to 100 messages, all or nothing, with batch-level options.
   *
   * @param messages the messages, in the order they should be delivered; an {@link Iterable} that is
   *     not a {@link java.util.Collection} is read up to the first message past the limit, no
   *     further
   * @param options a delay applied to every message that does not set its own
   * @return a future that completes once every message is accepted, or exceptionally (with nothing
   *     enqueued) with the exceptions of {@link #send(Object, QueueSendOptions)} or {@link
   *     EmptyBatchException}, {@link TooManyMessagesException}, {@link BatchTooLargeException}
   * @throws NullPointerException if an argument or an element is {@code null}, or a body encodes to
   *     JSON {@code null}
   * @throws IllegalStateException if the engine's clock reads before 1970 (nothing is sent)
   */
  CompletableFuture<QueueSendResult> sendBatch(
      Iterable<MessageSendRequest<Body>> messages, QueueSendBatchOptions options);

  /**
   * Returns the queue's realtime metrics.
   *
   * @return a future of the metrics; it completes at once for the in-process engine
   */
  CompletableFuture<QueueMetrics> metrics();
}

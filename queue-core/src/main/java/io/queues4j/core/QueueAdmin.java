package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueMetrics;
import io.queues4j.QueueNotFoundException;
import io.queues4j.spi.StoredMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Administrative operations on an engine's queues, apart from the everyday API of {@link
 * QueueEngine}: what a management API (such as Cloudflare's REST API served by {@code queue-http})
 * needs. Obtain it with {@link QueueEngine#admin()}.
 *
 * <p><b>Thread-safety:</b> every method may be called from any thread; none runs user code. The
 * methods that change the store (purge, delete) wait for it.
 */
public final class QueueAdmin {
  private final QueueRegistry registry;
  private final EngineContext context;

  QueueAdmin(QueueRegistry registry, EngineContext context) {
    this.registry = registry;
    this.context = context;
  }

  /**
   * Returns the queues whose messages the store holds but that this engine has not declared: a
   * durable store opened by a new process keeps every queue's messages, declared or not, and they
   * are delivered once the queue is declared and consumed. Never silently dropped.
   *
   * @return queue name to its backlog; empty if every stored queue is declared
   * @throws io.queues4j.spi.StoreException if the store cannot be read
   */
  public Map<String, QueueMetrics> undeclaredQueues() {
    Map<String, QueueMetrics> stored = new LinkedHashMap<>(context.store.storedQueues());
    stored.keySet().removeAll(registry.names());
    return stored;
  }

  /**
   * Validates and encodes messages for a declared queue exactly as a send would (limits, content
   * types, the codec, a new id each, the send time, delays) without sending them: for store
   * extensions that store messages another way, such as in the caller's own database
   * transaction (the {@code queue-postgres} outbox). The messages count nowhere until a store
   * holds them; a store shared with this engine then tells it so through {@link
   * io.queues4j.spi.QueueStore#subscribe}.
   *
   * @param queue the queue name
   * @param messages 1 to 100 messages
   * @param options a delay applied to every message that does not set its own
   * @param <B> the body type
   * @return the messages, with 0 attempts, in order
   * @throws QueueNotFoundException if the queue is not declared
   * @throws io.queues4j.QueueException if a message or the batch breaks a limit, a body cannot be
   *     encoded, or the engine is closed
   * @throws NullPointerException if an argument or an element is {@code null}, or a body encodes to
   *     JSON {@code null}
   */
  public <B> List<StoredMessage> encode(
      String queue,
      Iterable<io.queues4j.MessageSendRequest<B>> messages,
      io.queues4j.QueueSendBatchOptions options) {
    return new ProducerBinding<B>(registry.runtime(queue), context, 0).encodeBatch(messages, options);
  }


  /**
   * Returns a queue's settings.
   *
   * @param queue the queue name
   * @return its settings
   * @throws QueueNotFoundException if the queue is not declared
   */
  public QueueSettings settings(String queue) {
    return registry.runtime(queue).settings;
  }

  /**
   * Changes a queue's settings: the delivery delay applies to later sends, the retention period to
   * every message (and is checked again at once), the backlog limits to later sends, the
   * dead-letter capacity to later dead letters.
   *
   * @param queue the queue name
   * @param settings the new settings
   * @throws QueueNotFoundException if the queue is not declared
   */
  public void update(String queue, QueueSettings settings) {
    requireNonNull(settings, "settings");
    registry.runtime(queue).control.update(settings);
  }

  /**
   * Returns the settings of a queue's push consumer, if it has one.
   *
   * @param queue the queue name
   * @return the consumer's settings, or empty (no consumer, or a pull consumer)
   * @throws QueueNotFoundException if the queue is not declared
   */
  public Optional<ConsumerSettings> consumerSettings(String queue) {
    ConsumerBinding<?> c = registry.runtime(queue).consumer();
    return c == null ? Optional.empty() : Optional.of(c.settings);
  }

  /**
   * Returns a queue's pull consumer, if it has one.
   *
   * @param queue the queue name
   * @return the pull consumer, or empty (no consumer, or a push consumer)
   * @throws QueueNotFoundException if the queue is not declared
   */
  public Optional<PullConsumer> pullConsumer(String queue) {
    return Optional.ofNullable(registry.runtime(queue).pull);
  }

  /**
   * Replaces a queue's pull consumer with one of new settings, keeping the leases it gave out:
   * they keep their end times and can still be acknowledged; the new settings apply to later
   * pulls and settlements. The old {@link PullConsumer} can no longer pull.
   *
   * @param queue the queue name
   * @param settings the new settings
   * @return the new pull consumer
   * @throws QueueNotFoundException if the queue is not declared
   * @throws IllegalStateException if the queue has no pull consumer, the new dead-letter queue
   *     leads back to the queue, or the engine is closed
   */
  public PullConsumer replacePullConsumer(String queue, PullSettings settings) {
    return registry.replacePull(queue, settings);
  }

  /**
   * Detaches a queue's consumer, push or pull. Batches in flight finish and settle as usual;
   * messages claimed for the next batch go back to the queue without counting an attempt; a pull
   * consumer's leases end at once, as failed deliveries.
   *
   * @param queue the queue name
   * @return whether it had a consumer
   * @throws QueueNotFoundException if the queue is not declared
   */
  public boolean detach(String queue) {
    synchronized (registry.registration) {
      return registry.runtime(queue).control.detach();
    }
  }

  /**
   * Removes every message of a queue except those of push batches in flight: waiting, delayed,
   * held and leased ones. Waits for the store.
   *
   * @param queue the queue name
   * @return how many messages were removed
   * @throws QueueNotFoundException if the queue is not declared
   * @throws io.queues4j.spi.StoreException if the store failed
   */
  public long purge(String queue) {
    return registry.runtime(queue).control.purge();
  }

  /**
   * Pauses or resumes a queue's delivery (Cloudflare's {@code delivery_paused}): while paused,
   * sends are accepted and kept, no batch is dispatched, and pulls fail with {@link
   * io.queues4j.QueuePausedException}; batches and leases already out run their course.
   *
   * @param queue the queue name
   * @param paused whether delivery is paused
   * @throws QueueNotFoundException if the queue is not declared
   */
  public void pause(String queue, boolean paused) {
    registry.runtime(queue).control.pause(paused);
  }

  /**
   * Tells whether a queue's delivery is paused.
   *
   * @param queue the queue name
   * @return whether paused
   * @throws QueueNotFoundException if the queue is not declared
   */
  public boolean paused(String queue) {
    return registry.runtime(queue).control.paused();
  }

  /**
   * Deletes a queue and its messages. Detach its consumer first; a queue that another queue's
   * consumer uses as its dead-letter queue cannot be deleted.
   *
   * @param queue the queue name
   * @throws QueueNotFoundException if the queue is not declared
   * @throws IllegalStateException if it has a consumer or is a dead-letter queue in use
   * @throws io.queues4j.spi.StoreException if the store failed
   */
  public void delete(String queue) {
    registry.delete(queue);
  }
}

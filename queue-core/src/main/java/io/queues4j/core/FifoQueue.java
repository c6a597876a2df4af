package io.queues4j.core;

import io.queues4j.Queue;

/**
 * A producer binding of a FIFO queue (a queue whose name ends in {@code .fifo}, as queue-run's):
 * every message belongs to a group, the messages of a group are delivered in send order, one batch
 * at a time, and a message sent again within the queue's {@code deduplicationWindow} with the same
 * group and deduplication id (by default, the same body) is accepted but not delivered again; its
 * send result {@linkplain io.queues4j.QueueSendResult#duplicate() says so} and names the original.
 *
 * <pre>{@code
 * FifoQueue<ProfileUpdate> updates = engine.fifoQueue("update_profile.fifo");
 * updates.group(user.id()).send(new ProfileUpdate(user.id(), email));
 * engine.<Charge>fifoQueue("checkout.fifo").group(order.customer()).dedupe(order.id()).send(charge);
 * }</pre>
 *
 * <p>Sending without a group fails with {@link io.queues4j.FifoQueueException}, as does a
 * per-message delay: on a FIFO queue only the queue's {@code deliveryDelay} delays messages (a
 * delayed message would hold its whole group back), and retries keep their delays.
 *
 * <p>Immutable and thread-safe; {@link #group} and {@link #dedupe} return new bindings.
 *
 * @param <Body> the body type
 */
public interface FifoQueue<Body> extends Queue<Body> {

  /**
   * Returns a binding whose sends belong to {@code groupId}.
   *
   * @param groupId the group: the most specific key whose messages must stay in order (a user id,
   *     not the same group for every user, or one failing message holds back everyone's)
   * @return the binding
   * @throws IllegalArgumentException if {@code groupId} is blank or longer than 128 characters
   */
  FifoQueue<Body> group(String groupId);

  /**
   * Returns a binding whose single sends carry {@code dedupeId} as their deduplication id instead
   * of a hash of their body (a batch needs a hash per message, so {@code sendBatch} refuses it).
   *
   * @param dedupeId the deduplication id, such as an order's primary key
   * @return the binding
   * @throws IllegalArgumentException if {@code dedupeId} is blank or longer than 128 characters
   */
  FifoQueue<Body> dedupe(String dedupeId);
}

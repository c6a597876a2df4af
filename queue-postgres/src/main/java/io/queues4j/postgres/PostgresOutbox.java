package io.queues4j.postgres;

import static java.util.Objects.requireNonNull;

import io.queues4j.FifoQueueException;
import io.queues4j.MessageSendRequest;
import io.queues4j.QueueSendBatchOptions;
import io.queues4j.QueueSendOptions;
import io.queues4j.core.QueueEngine;
import io.queues4j.spi.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends messages inside the caller's own JDBC transaction (the transactional outbox pattern): the
 * messages are committed, or rolled back, together with the business rows written on the same
 * connection, so a message is never sent for work that did not happen, nor lost for work that
 * did.
 *
 * <pre>{@code
 * PostgresOutbox outbox = PostgresOutbox.of(store, engine);
 * try (Connection c = dataSource.getConnection()) {
 *   c.setAutoCommit(false);
 *   insertOrder(c, order);                            // the business row
 *   outbox.send(c, "orders", new OrderPlaced(order.id()));
 *   c.commit();                                       // both, or (rollback) neither
 * }
 * }</pre>
 *
 * <p>Messages are validated and encoded exactly as {@code queue.send} would ({@link
 * io.queues4j.core.QueueAdmin#encode}: limits, content types, ids, delays), then inserted with one statement on
 * the caller's connection, which also records the queue's counters and sends a {@code NOTIFY}:
 * PostgreSQL delivers it at the commit, so every engine on the schema (this one included) claims
 * the messages as soon as they are visible, and never before. The method neither commits nor
 * rolls back. The queue's {@code metrics()} include the messages after the stores' next refresh.
 *
 * <p>FIFO queues (names ending in {@code .fifo}) are refused with {@link FifoQueueException}:
 * their deduplication records and group order are written by the store's own transactions.
 *
 * <p><b>Thread-safety:</b> thread-safe; a JDBC connection is not, so use each one from one thread
 * at a time.
 */
public final class PostgresOutbox {
  private final PostgresStore store;
  private final QueueEngine engine;

  private PostgresOutbox(PostgresStore store, QueueEngine engine) {
    this.store = store;
    this.engine = engine;
  }

  /**
   * Creates an outbox for the queues of an engine built on {@code store}.
   *
   * @param store the engine's store: its schema is where the messages go
   * @param engine the engine whose declared queues, limits and codec apply
   * @return the outbox
   * @throws NullPointerException if an argument is {@code null}
   */
  public static PostgresOutbox of(PostgresStore store, QueueEngine engine) {
    return new PostgresOutbox(requireNonNull(store, "store"), requireNonNull(engine, "engine"));
  }

  /**
   * Sends one JSON message in the caller's transaction.
   *
   * @param connection the caller's connection, in the transaction the message joins (with
   *     auto-commit on, the message commits at once)
   * @param queue a queue declared on the engine
   * @param body the body
   * @param <B> the body type
   * @return the message id
   * @throws io.queues4j.QueueNotFoundException if the queue is not declared
   * @throws FifoQueueException if the queue is a FIFO queue (its name ends in {@code .fifo}):
   *     the outbox does not send to them
   * @throws io.queues4j.QueueException if the message breaks a limit or cannot be encoded
   * @throws SQLException if the insert fails; the caller's transaction is then to be rolled back
   * @throws NullPointerException if an argument is {@code null}
   */
  public <B> String send(Connection connection, String queue, B body) throws SQLException {
    return send(connection, queue, body, QueueSendOptions.DEFAULT);
  }

  /**
   * Sends one message with options (content type, delay) in the caller's transaction.
   *
   * @param connection the caller's connection, in the transaction the message joins
   * @param queue a queue declared on the engine
   * @param body the body
   * @param options its content type and delay
   * @param <B> the body type
   * @return the message id
   * @throws io.queues4j.QueueNotFoundException if the queue is not declared
   * @throws FifoQueueException if the queue is a FIFO queue (its name ends in {@code .fifo}):
   *     the outbox does not send to them
   * @throws io.queues4j.QueueException if the message breaks a limit or cannot be encoded
   * @throws SQLException if the insert fails; the caller's transaction is then to be rolled back
   * @throws NullPointerException if an argument is {@code null}
   */
  public <B> String send(Connection connection, String queue, B body, QueueSendOptions options)
      throws SQLException {
    requireNonNull(options, "options");
    MessageSendRequest<B> request = new MessageSendRequest<>(body, options.contentType(),
        options.delaySeconds());
    return sendBatch(connection, queue, List.of(request), QueueSendBatchOptions.DEFAULT).get(0);
  }

  /**
   * Sends a batch in the caller's transaction: all of it or (with the transaction) none.
   *
   * @param connection the caller's connection, in the transaction the messages join
   * @param queue a queue declared on the engine
   * @param messages 1 to 100 messages
   * @param options a delay for the messages that set none of their own
   * @param <B> the body type
   * @return the message ids, in order
   * @throws io.queues4j.QueueNotFoundException if the queue is not declared
   * @throws FifoQueueException if the queue is a FIFO queue (its name ends in {@code .fifo}):
   *     the outbox does not send to them
   * @throws io.queues4j.QueueException if a message or the batch breaks a limit, or a body
   *     cannot be encoded
   * @throws SQLException if the insert fails; the caller's transaction is then to be rolled back
   * @throws NullPointerException if an argument or an element is {@code null}
   */
  public <B> List<String> sendBatch(Connection connection, String queue,
      List<MessageSendRequest<B>> messages, QueueSendBatchOptions options) throws SQLException {
    requireNonNull(connection, "connection");
    requireNonNull(queue, "queue");
    engine.admin().settings(queue); // QueueNotFoundException first, as queue.send
    if (queue.endsWith(".fifo")) {
      throw new FifoQueueException(queue, "outbox send", "the PostgreSQL outbox does not send to"
          + " FIFO queues (their deduplication and group order are kept by the store's own"
          + " transactions); send with engine.fifoQueue(\"" + queue + "\") instead");
    }
    List<StoredMessage> encoded = engine.admin().<B>encode(queue, messages, options);
    PostgresQueueStore target = (PostgresQueueStore) store.queue(queue);
    Sql sql = store.sql();
    List<String> ids = new ArrayList<>(encoded.size());
    for (StoredMessage m : encoded) {
      ids.add(m.id());
    }
    try (PreparedStatement st = connection.prepareStatement(sql.outboxInsert)) {
      st.setInt(1, target.id);
      int next = new MessageColumns(encoded).bind(st, 2, connection);
      st.setString(next, sql.channel);
      st.setString(next + 1, "0:" + target.id); // from no store: every engine on the schema wakes
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
      }
    }
    return ids;
  }

  @Override
  public String toString() {
    return "PostgreSQL outbox on " + store;
  }
}

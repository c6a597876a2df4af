package io.queues4j.sqlite;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueMetrics;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One queue of a {@link SqliteStore}: every operation becomes an {@link Op} for the store's
 * {@link Writer}; the queue itself keeps only its counters (count, bytes, held dead letters,
 * oldest send time), exact because this process is the database's only writer, and published
 * after each commit for {@link #metrics()}, which never blocks.
 *
 * <p>Thread-safe: the counters are replaced whole ({@code volatile}), by the writer only.
 */
final class SqliteQueueStore implements QueueStore {
  /** A queue's counters as last committed; {@code oldest} is -1 when the queue is empty. */
  record Committed(long count, long bytes, long held, long oldest) {}

  final long id;
  private final String name;
  private final SqliteStore owner;
  private final Writer writer;
  private volatile Committed committed;
  private volatile QueueMetrics metrics;

  SqliteQueueStore(SqliteStore owner, Writer writer, long id, String name, Committed committed) {
    this.owner = owner;
    this.writer = writer;
    this.id = id;
    this.name = name;
    this.committed = committed;
    this.metrics = metricsOf(committed);
  }

  private static QueueMetrics metricsOf(Committed c) {
    return c.count() == 0 ? QueueMetrics.EMPTY : new QueueMetrics(c.count(), c.bytes(), c.oldest());
  }

  Committed committed() {
    return committed;
  }

  /** After a commit that changed this queue: its new counters. Writer only. */
  void commit(Committed c) {
    committed = c;
    metrics = metricsOf(c);
  }

  /** Returns {@code target} as a queue of the same store, or fails. */
  SqliteQueueStore sameStore(QueueStore target) {
    if (target instanceof SqliteQueueStore q && q.owner == owner) {
      return q;
    }
    throw new IllegalArgumentException("the dead-letter queue " + target + " of " + this
        + " is not a queue of the same SQLite store");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletionStage<Void> add(List<StoredMessage> messages) {
    List<StoredMessage> copy = List.copyOf(messages);
    requireArgument(!copy.isEmpty(), "messages must not be empty");
    return writer.submit(Op.synced("add messages to", name, tx -> tx.add(this, copy)));
  }

  @Override
  public CompletionStage<ClaimResult> claim(int max, long now, long leaseUntil) {
    requireArgument(max >= 1, "max must be at least 1 but was " + max);
    return writer.submit(new Op<>("claim messages of", name, false,
        tx -> tx.claim(this, max, now)));
  }

  @Override
  public CompletionStage<SettleResult> settle(List<Settlement> settlements) {
    List<Settlement> copy = List.copyOf(settlements);
    requireArgument(!copy.isEmpty(), "settlements must not be empty");
    for (Settlement s : copy) {
      if (s instanceof Settlement.MoveTo move) {
        sameStore(move.target());
      }
    }
    return writer.submit(new Op<>("settle messages of", name, false,
        tx -> tx.settle(this, copy)));
  }

  @Override
  public CompletionStage<List<StoredMessage>> expire(long sentBefore, int max) {
    requireArgument(max >= 1, "max must be at least 1 but was " + max);
    return writer.submit(new Op<>("expire messages of", name, false,
        tx -> tx.expire(this, sentBefore, max)));
  }

  @Override
  public CompletionStage<Integer> releaseHeld(long now) {
    return writer.submit(new Op<>("release the dead letters of", name, false,
        tx -> tx.releaseHeld(this, now)));
  }

  @Override
  public CompletionStage<List<StoredMessage>> held(boolean remove) {
    // inline: callers wait for it (engine.deadLetters), possibly on the completion thread
    return writer.submit(new Op<>("read the dead letters of", name, true,
        tx -> tx.held(this, remove)));
  }

  @Override
  public CompletionStage<Long> purge() {
    return writer.submit(new Op<>("purge", name, false, tx -> tx.purge(this)));
  }

  @Override
  public QueueMetrics metrics() {
    return metrics;
  }

  private static void requireArgument(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  @Override
  public String toString() {
    return "queue '" + name + "' of " + owner;
  }
}

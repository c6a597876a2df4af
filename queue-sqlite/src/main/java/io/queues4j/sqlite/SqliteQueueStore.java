package io.queues4j.sqlite;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueMetrics;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoreException;
import io.queues4j.spi.StoredMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

  /** How many expired deduplication records one sweep deletes at most. */
  static final int SWEEP_BATCH = 1_000;
  /** The least engine time between two sweeps of a FIFO queue's deduplication records. */
  static final long SWEEP_INTERVAL_MILLIS = 10_000;

  final long id;
  /** A FIFO queue (its name ends in {@code .fifo}): messages by group, deduplicated. */
  final boolean fifo;
  /**
   * A standard queue's claimed messages and claim cursor; writer-confined. A FIFO queue's stay
   * empty: its claimed rows are marked in the table.
   */
  final InFlight inFlight = new InFlight();
  private final String name;
  private final SqliteStore owner;
  private final Writer writer;
  private volatile Committed committed;
  private volatile QueueMetrics metrics;
  /** When (engine time) the next send may sweep expired deduplication records; races benign. */
  private volatile long nextSweep = Long.MIN_VALUE;

  SqliteQueueStore(SqliteStore owner, Writer writer, long id, String name, Committed committed) {
    this.owner = owner;
    this.writer = writer;
    this.id = id;
    this.name = name;
    this.fifo = name.endsWith(".fifo");
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
    return writer.submit(fifo
        ? Op.synced("add messages to", name, tx -> tx.add(this, copy))
        : Op.add(name, tx -> tx.add(this, copy)));
  }

  /**
   * {@inheritDoc}
   *
   * <p>On a FIFO queue, the same as {@link #claimGroup}: its messages are claimed by group only.
   */
  @Override
  public CompletionStage<ClaimResult> claim(int max, long now, long leaseUntil) {
    requireArgument(max >= 1, "max must be at least 1 but was " + max);
    if (fifo) {
      return claimGroup(max, now, leaseUntil);
    }
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

  /**
   * Returns whether this is a FIFO queue: its name ends in {@code .fifo}.
   *
   * @return whether FIFO queues' calls are supported here
   */
  @Override
  public boolean supportsFifo() {
    return fifo;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: in one transaction of the next group commit (synced like {@link #add}), the
   * deduplication records in the database beside the messages, so that they survive restarts.
   * Expired records are deleted later, in batches, by an operation of their own.
   */
  @Override
  public CompletionStage<List<String>> addDeduplicated(
      List<StoredMessage> messages, long now, long windowMillis) {
    List<StoredMessage> copy = List.copyOf(messages);
    requireArgument(!copy.isEmpty(), "messages must not be empty");
    requireArgument(windowMillis >= 0, "windowMillis must not be negative but was "
        + windowMillis);
    if (!fifo) {
      return notFifo();
    }
    for (StoredMessage m : copy) {
      requireArgument(m.groupId() != null && m.dedupeKey() != null, "message " + m.id()
          + " of FIFO queue '" + name + "' has no group or no deduplication key");
    }
    CompletionStage<List<String>> added = writer.submit(Op.synced("add messages to", name,
        tx -> tx.addDeduplicated(this, copy, now, windowMillis)));
    if (now >= nextSweep) {
      nextSweep = now + SWEEP_INTERVAL_MILLIS;
      sweep(now);
    }
    return added;
  }

  /** Deletes a batch of expired deduplication records; if it was full, the next send sweeps. */
  private void sweep(long now) {
    // a failure (a full disk, a closed store) leaves the records for a later sweep
    var unused = writer.submit(new Op<>("expire deduplication records of", name, false,
        tx -> tx.sweepDeduplication(this, now, SWEEP_BATCH))).whenComplete((swept, failure) -> {
          if (failure == null && swept != null && swept == SWEEP_BATCH) {
            nextSweep = Long.MIN_VALUE; // more to do
          }
        });
  }

  @Override
  public CompletionStage<ClaimResult> claimGroup(int max, long now, long leaseUntil) {
    requireArgument(max >= 1, "max must be at least 1 but was " + max);
    if (!fifo) {
      return notFifo();
    }
    return writer.submit(new Op<>("claim messages of", name, false,
        tx -> tx.claimGroup(this, max, now)));
  }

  private <T> CompletionStage<T> notFifo() {
    return CompletableFuture.failedStage(new StoreException(
        this + " is not a FIFO queue (its name does not end in .fifo)", null));
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

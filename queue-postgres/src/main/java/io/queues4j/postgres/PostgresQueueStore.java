package io.queues4j.postgres;

import io.queues4j.QueueContentType;
import io.queues4j.QueueMetrics;
import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoreException;
import io.queues4j.spi.StoredMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One queue of a {@link PostgresStore}: rows of the {@code messages} table with its {@code
 * queue_id}. Every operation is one {@link Workers.Work} that the store's workers run in a
 * transaction (several callers' operations may share one); see {@link Sql} for the statements.
 *
 * <p>{@link #metrics()} never touches the database: it returns the totals that the last write
 * transaction of this store read just before committing, or the store's background refresh,
 * whichever is newer.
 *
 * <p>Thread-safe.
 */
final class PostgresQueueStore implements QueueStore {
  private static final org.slf4j.Logger logger =
      org.slf4j.LoggerFactory.getLogger(PostgresQueueStore.class);
  private final PostgresStore store;
  private final String name;
  final int id;
  /** Whether this is a FIFO queue (its name ends in {@code .fifo}). */
  final boolean fifo;
  /** The engine time after which the next sweep of expired deduplication records may run. */
  private final java.util.concurrent.atomic.AtomicLong nextSweep =
      new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
  private final CopyOnWriteArrayList<Runnable> subscribers = new CopyOnWriteArrayList<>();
  private final Object metricsLock = new Object();
  private QueueMetrics metrics; // guarded by metricsLock
  private long metricsVersion; // guarded by metricsLock

  PostgresQueueStore(PostgresStore store, String name, int id, QueueMetrics metrics) {
    this.store = store;
    this.name = name;
    this.id = id;
    this.fifo = name.endsWith(".fifo");
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return name;
  }

  // ---- adding and claiming ----

  @Override
  public CompletionStage<Void> add(List<StoredMessage> messages) {
    long bytes = 0;
    long earliest = Long.MAX_VALUE;
    for (StoredMessage m : messages) {
      bytes += m.size();
      earliest = Math.min(earliest, m.timestamp());
    }
    long total = bytes;
    long sentAt = earliest;
    return store.workers.submit("add " + messages.size() + " messages to queue '" + name + "'",
        Workers.Kind.ADD, total, tx -> {
          insert(tx, messages, 0);
          tx.added(id, messages.size(), total, sentAt);
          tx.notify(id);
          return null;
        });
  }

  /** Inserts messages in order, in {@code state} (0 waiting, 2 held). */
  void insert(Transaction tx, List<StoredMessage> messages, int state) throws SQLException {
    MessageColumns columns = new MessageColumns(messages);
    try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.insert)) {
      st.setInt(1, id);
      st.setInt(2, state);
      columns.bind(st, 3, tx.connection);
      st.executeUpdate();
    }
  }

  @Override
  public CompletionStage<ClaimResult> claim(int max, long now, long leaseUntil) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1 but was " + max);
    }
    return store.workers.submit("claim messages of queue '" + name + "'",
        Workers.Kind.CLAIM, 0, tx -> {
      List<Claim> claims = new ArrayList<>(Math.min(max, 128));
      List<long[]> order = new ArrayList<>(Math.min(max, 128));
      long next = Long.MAX_VALUE;
      try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.claim)) {
        st.setInt(1, id);
        st.setLong(2, now);
        st.setInt(3, max);
        st.setInt(4, id);
        st.setLong(5, now);
        st.setInt(6, max);
        st.setInt(7, max);
        st.setLong(8, leaseUntil);
        st.setLong(9, store.owner);
        st.setInt(10, max);
        st.setInt(11, id);
        st.setLong(12, now);
        st.setInt(13, id);
        st.setInt(14, id);
        st.setInt(15, id);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            long nextVisible = rs.getLong(13);
            next = rs.wasNull() ? Long.MAX_VALUE : nextVisible;
            long lease = rs.getLong(1);
            if (rs.wasNull()) {
              continue; // the row of a claim that took nothing
            }
            long position = rs.getLong(2);
            StoredMessage m = message(rs, 3);
            order.add(new long[] {m.visibleAt(), position, claims.size()});
            claims.add(new Claim(m, rs.getLong(3), lease));
          }
        }
      }
      order.sort(Comparator.<long[]>comparingLong(o -> o[0]).thenComparingLong(o -> o[1]));
      List<Claim> sorted = new ArrayList<>(claims.size());
      for (long[] o : order) {
        sorted.add(claims.get((int) o[2]));
      }
      return new ClaimResult(sorted, next);
    });
  }

  // ---- FIFO queues (see FifoRows) ----

  /**
   * {@inheritDoc}
   *
   * @return whether the queue's name ends in {@code .fifo}
   */
  @Override
  public boolean supportsFifo() {
    return fifo;
  }

  @Override
  public CompletionStage<List<String>> addDeduplicated(
      List<StoredMessage> messages, long now, long windowMillis) {
    if (!fifo) {
      return CompletableFuture.failedStage(
          new StoreException("queue '" + name + "' is not a FIFO queue", null));
    }
    long bytes = 0;
    for (StoredMessage m : messages) {
      bytes += m.size();
    }
    CompletableFuture<List<String>> added = store.workers.submit("add " + messages.size()
        + " messages to FIFO queue '" + name + "'", Workers.Kind.ADD, bytes, true,
        tx -> FifoRows.add(tx, this, messages, now, windowMillis));
    sweepLater(now, windowMillis);
    return added;
  }

  /** The most expired deduplication records one sweep deletes. */
  static final int SWEEP_BATCH = 1_000;

  /**
   * Deletes expired deduplication records in a background operation of its own, at most once per
   * tenth of the window (and per second) of engine time; a full batch asks for another at once.
   */
  private void sweepLater(long now, long windowMillis) {
    long previous = nextSweep.get();
    if (now < previous
        || !nextSweep.compareAndSet(previous, now + Math.max(1_000, windowMillis / 10))) {
      return;
    }
    CompletableFuture<?> unused = store.workers.submit(
        "delete expired deduplication records of queue '" + name + "'",
        Workers.Kind.ADD, 0, tx -> FifoRows.sweep(tx, this, now - windowMillis, SWEEP_BATCH))
        .whenComplete((deleted, failure) -> {
          if (failure != null) {
            logger.debug("{}: a sweep of deduplication records failed: {}", this,
                failure.toString());
          } else if (deleted != null && deleted >= SWEEP_BATCH) {
            nextSweep.set(Long.MIN_VALUE);
          }
        });
  }

  @Override
  public CompletionStage<ClaimResult> claimGroup(int max, long now, long leaseUntil) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1 but was " + max);
    }
    if (!fifo) {
      return CompletableFuture.failedStage(
          new StoreException("queue '" + name + "' is not a FIFO queue", null));
    }
    return store.workers.submit("claim a group of FIFO queue '" + name + "'",
        Workers.Kind.CLAIM, 0, tx -> FifoRows.claim(tx, this, max, now, leaseUntil, store.owner));
  }

  // ---- settling ----

  @Override
  public CompletionStage<SettleResult> settle(List<Settlement> settlements) {
    for (Settlement s : settlements) {
      if (s instanceof Settlement.MoveTo move && !(move.target() instanceof PostgresQueueStore t
          && t.store == store)) {
        throw new IllegalArgumentException("the dead-letter queue " + move.target()
            + " of a settlement of queue '" + name + "' is not in the same PostgreSQL store");
      }
    }
    return store.workers.submit("settle " + settlements.size() + " messages of queue '" + name
        + "'", Workers.Kind.WRITE, 0, fifo || movesToFifo(settlements),
        tx -> new Settling(this, settlements).apply(tx));
  }

  private static boolean movesToFifo(List<Settlement> settlements) {
    for (Settlement s : settlements) {
      if (s instanceof Settlement.MoveTo move && ((PostgresQueueStore) move.target()).fifo) {
        return true;
      }
    }
    return false;
  }

  // ---- retention, dead letters, purge ----

  @Override
  public CompletionStage<List<StoredMessage>> expire(long sentBefore, int max) {
    return store.workers.submit("expire messages of queue '" + name + "'",
        Workers.Kind.WRITE, 0, fifo, tx -> {
      if (fifo) {
        return FifoRows.expire(tx, this, sentBefore, max);
      }
      List<StoredMessage> expired = new ArrayList<>();
      try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.expire)) {
        st.setInt(1, id);
        st.setLong(2, sentBefore);
        st.setInt(3, max);
        removed(tx, st, expired);
      }
      expired.sort(Comparator.comparingLong(StoredMessage::timestamp)); // stable: then by key
      return expired;
    });
  }

  /**
   * Runs a {@code DELETE ... RETURNING m.size, <message columns>}, collecting the removed messages
   * in key order and counting them off this queue.
   */
  void removed(Transaction tx, PreparedStatement st, List<StoredMessage> into)
      throws SQLException {
    List<long[]> keys = new ArrayList<>();
    List<StoredMessage> found = new ArrayList<>();
    long bytes = 0;
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        bytes += rs.getInt(1);
        keys.add(new long[] {rs.getLong(2), found.size()});
        found.add(message(rs, 2));
      }
    }
    keys.sort(Comparator.comparingLong(k -> k[0]));
    for (long[] k : keys) {
      into.add(found.get((int) k[1]));
    }
    if (!found.isEmpty()) {
      tx.removed(id, found.size(), bytes);
    }
  }

  @Override
  public CompletionStage<Integer> releaseHeld(long now) {
    return store.workers.submit("release the held dead letters of queue '" + name + "'",
        Workers.Kind.WRITE, 0, fifo, tx -> {
          List<FifoRows.GroupRef> groups = fifo ? FifoRows.lockHeld(tx, this) : List.of();
          try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.releaseHeld)) {
            st.setInt(1, id);
            st.setLong(2, now);
            int released = st.executeUpdate();
            FifoRows.recompute(tx, groups);
            if (released > 0) {
              tx.notify(id);
            }
            return released;
          }
        });
  }

  @Override
  public CompletionStage<List<StoredMessage>> held(boolean remove) {
    return store.workers.submit((remove ? "remove" : "read") + " the held dead letters of queue '"
        + name + "'", Workers.Kind.WRITE, 0, tx -> {
          List<StoredMessage> letters = new ArrayList<>();
          if (remove) {
            try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.removeHeld)) {
              st.setInt(1, id);
              removed(tx, st, letters);
            }
          } else {
            try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.listHeld)) {
              st.setInt(1, id);
              try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                  letters.add(message(rs, 1));
                }
              }
            }
          }
          return letters;
        });
  }

  @Override
  public CompletionStage<Long> purge() {
    return store.workers.submit("purge queue '" + name + "'", Workers.Kind.WRITE, 0, fifo,
        tx -> {
      List<FifoRows.GroupRef> groups = fifo ? FifoRows.lockAll(tx, this) : List.of();
      try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.purge)) {
        st.setInt(1, id);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          long count = rs.getLong(1);
          FifoRows.recompute(tx, groups);
          if (count > 0) {
            tx.removed(id, count, rs.getLong(2));
          }
          return count;
        }
      }
    });
  }

  // ---- wake-ups and metrics ----

  @Override
  public void subscribe(Runnable mayHaveReady) {
    subscribers.add(java.util.Objects.requireNonNull(mayHaveReady, "mayHaveReady"));
  }

  /** Another engine (or an outbox, or a poll) says messages may be ready: tell the engine. */
  void wake() {
    for (Runnable subscriber : subscribers) {
      store.workers.execute(subscriber);
    }
  }

  boolean hasSubscribers() {
    return !subscribers.isEmpty();
  }

  @Override
  public QueueMetrics metrics() {
    synchronized (metricsLock) {
      return metrics;
    }
  }

  /** Installs totals read inside a transaction that has just committed. */
  void metricsChanged(Transaction.Totals totals) {
    synchronized (metricsLock) {
      long oldest = totals.oldest();
      if (oldest < 0) { // not read: what was known, and what was added
        long known = metrics.backlogCount() > 0 ? metrics.oldestMessageTimestamp() : Long.MAX_VALUE;
        oldest = Math.min(known, totals.minAdded());
        if (oldest == Long.MAX_VALUE) {
          oldest = 0; // unknown until the next refresh
        }
      }
      metrics = Transaction.metrics(totals.count(), totals.bytes(), oldest);
      metricsVersion++;
    }
  }

  /** The version a background refresh must still see to install its result. */
  long metricsVersion() {
    synchronized (metricsLock) {
      return metricsVersion;
    }
  }

  /** Installs a background refresh, unless a write of this store completed since it began. */
  void metricsRefreshed(QueueMetrics fresh, long version) {
    synchronized (metricsLock) {
      if (metricsVersion == version) {
        metrics = fresh;
      }
    }
  }

  // ---- rows ----

  /**
   * Reads the message columns ({@link Sql#MESSAGE_COLUMNS}) starting at column {@code from}
   * (the key); attempts as stored.
   */
  static StoredMessage message(ResultSet rs, int from) throws SQLException {
    long visibleAt = rs.getLong(from + 1);
    int attempts = rs.getInt(from + 2);
    long high = rs.getLong(from + 3);
    long low = rs.getLong(from + 4);
    long sent = rs.getLong(from + 5);
    QueueContentType type = contentType(rs.getShort(from + 6));
    byte[] body = rs.getBytes(from + 7);
    String group = rs.getString(from + 8);
    String dedupeKey = rs.getString(from + 9);
    return group == null || dedupeKey == null
        ? StoredMessage.of(high, low, sent, body, type, visibleAt, attempts)
        : StoredMessage.of(high, low, sent, body, type, visibleAt, attempts, group, dedupeKey);
  }

  static short contentTypeCode(QueueContentType type) {
    return switch (type) {
      case JSON -> 0;
      case TEXT -> 1;
      case BYTES -> 2;
      case V8 -> 3;
    };
  }

  static QueueContentType contentType(short code) throws SQLException {
    return switch (code) {
      case 0 -> QueueContentType.JSON;
      case 1 -> QueueContentType.TEXT;
      case 2 -> QueueContentType.BYTES;
      case 3 -> QueueContentType.V8;
      default -> throw new SQLException("unknown content type code " + code);
    };
  }

  @Override
  public String toString() {
    return "PostgreSQL queue '" + name + "' (schema '" + store.schema() + "')";
  }
}

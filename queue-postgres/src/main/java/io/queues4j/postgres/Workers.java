package io.queues4j.postgres;

import io.queues4j.spi.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's executor: a few threads named {@code queues4j-postgres-N}, each holding at most one
 * connection, borrowed from the data source while it has work and given back when it has none.
 * A thread takes the next operation and every operation queued behind it (up to {@link
 * #MAX_GROUP} operations or {@link #MAX_GROUP_BYTES} of bodies) and runs them in <b>one
 * transaction</b>: one commit, one WAL flush for many callers (group commit). A group that fails
 * before its commit is rolled back and its operations run again one per transaction, so one bad
 * operation fails alone; a commit that fails leaves the outcome unknown, so its operations fail
 * without a second try. Futures complete on the worker thread, after the commit.
 *
 * <p>In direct mode (tests on virtual time) there are no threads: each operation runs on the
 * caller's thread in its own transaction and its future is complete when {@link #submit} returns.
 */
final class Workers {
  private static final Logger logger = LoggerFactory.getLogger(Workers.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** The most operations in one transaction. */
  static final int MAX_GROUP = 64;

  /** The most body bytes added in one transaction (a group holds at least one operation). */
  static final long MAX_GROUP_BYTES = 4L << 20;

  /** An operation's statements; runs inside a transaction that the caller commits. */
  @FunctionalInterface
  interface Work<T> {
    @Nullable T run(Transaction tx) throws SQLException;
  }

  /** What an operation is, for its place in line and its commit. */
  enum Kind {
    /** Adds messages: durable at commit; waits behind the consumers' operations. */
    ADD,
    /**
     * Claims messages: committed without waiting for the WAL flush ({@code synchronous_commit =
     * off} for a group of claims only). Losing a claim in a database crash only makes its
     * messages deliverable again with the attempt uncounted: at-least-once holds, and any later
     * durable commit flushes it anyway.
     */
    CLAIM,
    /** Settlements and the rest: durable at commit, ahead of adds. */
    WRITE
  }

  private static final class Op<T> {
    final String what;
    final Work<T> work;
    final long bytes;
    final Kind kind;
    final boolean alone;
    final CompletableFuture<T> future = new CompletableFuture<>();
    @Nullable T result;

    Op(String what, Kind kind, Work<T> work, long bytes, boolean alone) {
      this.what = what;
      this.kind = kind;
      this.work = work;
      this.bytes = bytes;
      this.alone = alone;
    }

    void run(Transaction tx) throws SQLException {
      result = work.run(tx);
    }

    @SuppressWarnings("NullAway") // a Void operation's result is null
    void complete() {
      future.complete(result);
    }
  }

  private static final Object STOP = new Object();

  private final DataSource dataSource;
  private final Sql sql;
  private final long owner;
  private final String store;
  private final Consumer<Map<Integer, Transaction.Totals>> totals;
  private final boolean direct;
  private final int slotBase;
  private final Line queue = new Line();
  private final Object groups = new Object();
  private int running; // guarded by groups: groups between their first statement and completion
  // guarded by groups: queues changed by groups that overlapped another group since the last
  // quiet moment; their totals may miss the other group's commit
  private final java.util.TreeSet<Integer> overlapped = new java.util.TreeSet<>();
  private boolean overlapping; // guarded by groups
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean accepting = true;

  Workers(DataSource dataSource, Sql sql, long owner, String store, int threadCount,
      boolean direct, Consumer<Map<Integer, Transaction.Totals>> totals) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.owner = owner;
    this.store = store;
    this.totals = totals;
    this.direct = direct;
    this.slotBase = (int) Math.floorMod(owner, (long) Sql.WORKER_SLOTS);
    if (!direct) {
      for (int i = 0; i < threadCount; i++) {
        int slot = (slotBase + i) % Sql.WORKER_SLOTS;
        Thread thread = new Thread(() -> work(slot),
            "queues4j-postgres-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        threads.add(thread);
      }
      threads.forEach(Thread::start);
    }
  }

  /**
   * Runs an operation in a transaction; the future completes after the commit, on a worker thread
   * (or, in direct mode, before this returns). It fails with {@link StoreException} if the
   * database failed or the store is closed.
   *
   * @param what the operation, for error messages ("add 3 messages to queue 'jobs'")
   * @param bytes the body bytes it adds, to bound a group's size
   */
  <T> CompletableFuture<T> submit(String what, Kind kind, long bytes, Work<T> work) {
    return submit(what, kind, bytes, false, work);
  }

  /**
   * As {@link #submit(String, Kind, long, Work)}; with {@code alone}, the operation runs in a
   * transaction of its own, never grouped with others: it locks FIFO group rows, each operation
   * in (queue, group) order, and two grouped transactions could otherwise lock them in opposite
   * orders and deadlock.
   */
  <T> CompletableFuture<T> submit(String what, Kind kind, long bytes, boolean alone,
      Work<T> work) {
    Op<T> op = new Op<>(what, kind, work, bytes, alone);
    if (!accepting) {
      op.future.completeExceptionally(closed(what));
      return op.future;
    }
    if (direct) {
      runDirect(op);
    } else {
      queue.put(op, kind != Kind.ADD);
    }
    return op.future;
  }

  /** Runs a task that needs no connection (a wake-up callback) on a worker thread. */
  void execute(Runnable task) {
    if (accepting && !direct) {
      queue.put(task, true);
    }
  }

  private StoreException closed(String what) {
    return new StoreException(store + " is closed: cannot " + what, null);
  }

  private void runDirect(Op<?> op) {
    List<Op<?>> group = List.of(op);
    Connection connection = borrow(group, 0);
    if (connection != null) {
      runGroup(connection, group, slotBase);
      release(connection);
    }
  }

  private void work(int slot) {
    Connection connection = null;
    List<Op<?>> group = new ArrayList<>();
    List<Runnable> tasks = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      Object next;
      try {
        next = connection == null ? queue.take() : queue.poll(null);
      } catch (InterruptedException e) {
        break; // only close() interrupts, after the queue is drained or abandoned
      }
      if (next == null) { // idle: give the connection back while waiting
        connection = release(connection);
        continue;
      }
      long bytes = 0;
      while (next != null) {
        if (next == STOP) {
          stopping = true;
          break;
        } else if (next instanceof Runnable task) {
          tasks.add(task);
        } else {
          Op<?> op = (Op<?>) next;
          group.add(op);
          bytes += op.bytes;
          if (op.alone || group.size() >= MAX_GROUP || bytes >= MAX_GROUP_BYTES) {
            break;
          }
        }
        next = queue.poll(group.isEmpty() ? null : group.get(0).kind == Kind.CLAIM);
      }
      if (!group.isEmpty()) {
        connection = runGroupOn(connection, group, slot);
        group.clear();
      }
      for (Runnable task : tasks) {
        try {
          task.run();
        } catch (RuntimeException e) {
          logger.error("A wake-up task of {} failed", store, e);
        }
      }
      tasks.clear();
    }
    release(connection);
  }

  /** Runs a group on the worker's connection (borrowing one if needed); returns the connection. */
  private @Nullable Connection runGroupOn(
      @Nullable Connection connection, List<Op<?>> group, int slot) {
    Connection c = connection != null ? connection : borrow(group, 0);
    if (c == null) {
      return null;
    }
    Outcome outcome = runGroup(c, group, slot);
    if (outcome == Outcome.DONE) {
      return c;
    }
    c = release(c); // maybe broken: take a fresh one
    if (outcome == Outcome.SPLIT) { // nothing is committed: each alone, so that one fails alone
      for (int i = 0; i < group.size(); i++) {
        c = c != null ? c : borrow(group, i);
        if (c == null) {
          return null;
        }
        c = runGroup(c, List.of(group.get(i)), slot) == Outcome.DONE ? c : release(c);
      }
    }
    return c;
  }

  /** Borrows a connection, or fails the operations of {@code group} from {@code from} on. */
  private @Nullable Connection borrow(List<Op<?>> group, int from) {
    Connection connection = null;
    try {
      connection = dataSource.getConnection();
      connection.setAutoCommit(false);
      return connection;
    } catch (SQLException e) {
      release(connection);
      for (Op<?> op : group.subList(from, group.size())) {
        op.future.completeExceptionally(failure(op.what, e));
      }
      return null;
    }
  }

  private enum Outcome {
    /** Committed and completed; the connection is fine. */
    DONE,
    /** Completed (some or all exceptionally); the connection may be broken. */
    FAILED,
    /** A group of several failed before its commit: nothing completed, run them one by one. */
    SPLIT
  }

  /** Runs a group in one transaction and completes its operations (unless it must be split). */
  private Outcome runGroup(Connection connection, List<Op<?>> group, int slot) {
    synchronized (groups) {
      if (++running > 1) {
        overlapping = true;
      }
    }
    Map<Integer, Transaction.Totals> changed = Map.of();
    Outcome outcome = Outcome.FAILED;
    try {
      try {
        Transaction tx = new Transaction(connection, sql, slot, owner);
        for (Op<?> op : group) {
          op.run(tx);
        }
        boolean alone;
        synchronized (groups) {
          alone = running == 1 && !overlapping;
        }
        changed = tx.finish(alone);
      } catch (SQLException | RuntimeException e) {
        rollback(connection);
        changed = Map.of();
        if (group.size() > 1) {
          outcome = Outcome.SPLIT;
          return outcome;
        }
        Op<?> op = group.get(0);
        op.future.completeExceptionally(
            e instanceof SQLException sqlFailure ? failure(op.what, sqlFailure) : e);
        return outcome;
      }
      try {
        connection.commit(); // a group of claims commits lazily: see Sql.claim
      } catch (SQLException e) {
        changed = Map.of();
        for (Op<?> op : group) {
          op.future.completeExceptionally(new StoreException(store + ": the commit of '" + op.what
              + "' failed and its outcome is unknown: " + e.getMessage(), e));
        }
        return outcome;
      }
      outcome = Outcome.DONE;
      return outcome;
    } finally {
      changed = quiet(connection, changed);
      if (!changed.isEmpty()) {
        totals.accept(changed);
      }
      if (outcome == Outcome.DONE) {
        for (Op<?> op : group) {
          op.complete();
        }
      }
    }
  }

  /**
   * Ends a group's bookkeeping. The totals a transaction reads before its commit miss the commits
   * of groups running beside it; so when the last of overlapping groups ends, the totals of the
   * queues they changed are read again, before any of its futures complete: once this store's
   * operations are all complete, its metrics are exact.
   */
  private Map<Integer, Transaction.Totals> quiet(
      Connection connection, Map<Integer, Transaction.Totals> changed) {
    Integer[] reread = null;
    synchronized (groups) {
      running--;
      if (overlapping) {
        overlapped.addAll(changed.keySet());
        if (running == 0) {
          overlapping = false;
          if (!overlapped.isEmpty()) {
            reread = overlapped.toArray(new Integer[0]);
            overlapped.clear();
          }
        }
      }
    }
    if (reread == null) {
      return changed;
    }
    Map<Integer, Transaction.Totals> fresh = new java.util.HashMap<>(changed);
    try (java.sql.PreparedStatement st = connection.prepareStatement(sql.backlogCounts)) {
      st.setArray(1, connection.createArrayOf("int4", reread));
      try (java.sql.ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Transaction.Totals mine = changed.get(rs.getInt(1));
          fresh.put(rs.getInt(1), new Transaction.Totals(rs.getLong(2), rs.getLong(3), -1,
              mine == null ? Long.MAX_VALUE : mine.minAdded()));
        }
      }
      // no commit: a read; the next group's transaction carries on (READ COMMITTED: each
      // statement sees what is committed when it starts)
    } catch (SQLException e) {
      rollback(connection); // the background refresh corrects them within its interval
    }
    return fresh;
  }

  private StoreException failure(String what, SQLException e) {
    return new StoreException(store + ": could not " + what + ": " + e.getMessage(), e);
  }

  private static void rollback(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the transaction is gone with it
    }
  }

  private static @Nullable Connection release(@Nullable Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // a broken connection: nothing to give back
      }
    }
    return null;
  }

  /**
   * Stops accepting operations, lets the threads finish what is queued, and waits for them (at
   * most {@code waitMillis}).
   */
  void close(long waitMillis) {
    accepting = false;
    for (int i = 0; i < threads.size(); i++) {
      queue.put(STOP, false);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    for (Thread thread : threads) {
      if (thread == Thread.currentThread()) {
        continue;
      }
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (thread.isAlive()) {
        logger.warn("{}: thread {} did not stop within {} ms", store, thread.getName(),
            waitMillis);
      }
    }
    Object left;
    while ((left = queue.poll(null)) != null) {
      if (left instanceof Op<?> op) {
        op.future.completeExceptionally(closed(op.what));
      }
    }
  }

  /**
   * The line of work: consumers' operations (claims, settlements, wake-ups) before adds, so that
   * a burst of sends does not hold up deliveries; FIFO within each.
   */
  private static final class Line {
    private final java.util.concurrent.locks.ReentrantLock lock =
        new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.locks.Condition nonEmpty = lock.newCondition();
    private final java.util.ArrayDeque<Object> urgent = new java.util.ArrayDeque<>();
    private final java.util.ArrayDeque<Object> bulk = new java.util.ArrayDeque<>();

    void put(Object item, boolean first) {
      lock.lock();
      try {
        (first ? urgent : bulk).addLast(item);
        nonEmpty.signal();
      } finally {
        lock.unlock();
      }
    }

    Object take() throws InterruptedException {
      lock.lock();
      try {
        Object next;
        while ((next = pollLocked()) == null) {
          nonEmpty.await();
        }
        return next;
      } finally {
        lock.unlock();
      }
    }

    /**
     * Takes the next item without waiting; with {@code claims} not null (a group is being
     * filled), only if it is a claim (true) or not (false), so that a group is all claims
     * (committed lazily) or none, and not an operation that must run alone.
     */
    @Nullable Object poll(@Nullable Boolean claims) {
      lock.lock();
      try {
        if (claims != null) {
          Object head = urgent.isEmpty() ? bulk.peekFirst() : urgent.peekFirst();
          if (head instanceof Op<?> op && (op.alone || (op.kind == Kind.CLAIM) != claims)) {
            return null;
          }
        }
        return pollLocked();
      } finally {
        lock.unlock();
      }
    }

    private @Nullable Object pollLocked() {
      Object next = urgent.pollFirst();
      return next != null ? next : bulk.pollFirst();
    }
  }
}

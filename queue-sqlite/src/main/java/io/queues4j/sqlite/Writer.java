package io.queues4j.sqlite;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every operation of the store against its one connection, with <b>group commit</b>: the
 * writer thread ({@code queues4j-sqlite-writer}) takes every operation queued since its last
 * commit (adds, claims, settlements, expiries, of all queues), runs them in one transaction and
 * commits them with one fsync. Only then are their stages completed, in order, on the completion
 * thread ({@code queues4j-sqlite-complete}): completing runs engine and user code, which must
 * never hold up the next commit.
 *
 * <p>If the group's transaction fails, it is rolled back and each operation runs again alone, so
 * that one operation's failure (a full disk for an add, say) fails that operation only, and none
 * is half-applied.
 *
 * <p>In <b>direct mode</b> there are no threads: each operation runs and commits on the calling
 * thread (one at a time, under a lock) and its stage completes before {@code submit} returns.
 *
 * <p>Thread-safety: {@link #submit} from any thread. The database is used by the writer thread
 * only (direct mode: under {@code lock}).
 */
final class Writer {
  private static final Logger logger = LoggerFactory.getLogger(Writer.class);

  /** The most operations one transaction takes: bounds a commit's latency and memory. */
  static final int MAX_GROUP = 1024;

  private final Database db;
  private final boolean direct;
  private final LinkedBlockingQueue<Op<?>> pending = new LinkedBlockingQueue<>();
  private final Op<Void> stop = new Op<>("stop", "", true, tx -> null);
  private final @Nullable Thread thread;
  private final @Nullable ExecutorService completer;
  private volatile @Nullable Thread completerThread;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong operations = new AtomicLong();
  private boolean closed; // guarded by lock
  private boolean deletedReported; // writer only

  Writer(Database db, boolean direct) {
    this.db = db;
    this.direct = direct;
    if (direct) {
      thread = null;
      completer = null;
    } else {
      completer = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "queues4j-sqlite-complete");
        t.setDaemon(true);
        completerThread = t;
        return t;
      });
      Thread t = new Thread(this::loop, "queues4j-sqlite-writer");
      t.setDaemon(true);
      thread = t;
      t.start();
    }
  }

  /**
   * Runs {@code op}: queued for the next group commit, or, in direct mode, at once.
   *
   * @return its stage, completed once it is committed or has failed
   */
  <T> java.util.concurrent.CompletableFuture<T> submit(Op<T> op) {
    lock.lock();
    try {
      if (closed) {
        op.fail(new SqliteStoreException(SqliteStoreException.Reason.CLOSED, db.file,
            "SQLite store " + db.file + " is closed: cannot " + op.describe(), null));
      } else if (direct) {
        runGroup(List.of(op));
      } else {
        pending.add(op);
        return op.future;
      }
    } finally {
      lock.unlock();
    }
    op.complete();
    return op.future;
  }

  private void loop() {
    boolean running = true;
    while (running) {
      List<Op<?>> group = new ArrayList<>();
      try {
        group.add(pending.take());
      } catch (InterruptedException e) {
        continue; // only the stop operation ends the writer
      }
      pending.drainTo(group, MAX_GROUP - 1);
      if (group.get(group.size() - 1) == stop) { // always last: nothing is queued after it
        group.remove(group.size() - 1);
        running = false;
      }
      if (group.isEmpty()) {
        continue;
      }
      runGroup(group);
      List<Op<?>> later = new ArrayList<>(group.size());
      for (Op<?> op : group) {
        if (op.inline()) {
          op.complete();
        } else {
          later.add(op);
        }
      }
      if (!later.isEmpty()) {
        completer().execute(() -> {
          for (Op<?> op : later) {
            op.complete();
          }
        });
      }
    }
  }

  private ExecutorService completer() {
    ExecutorService c = completer;
    if (c == null) {
      throw new IllegalStateException("no completion thread in direct mode");
    }
    return c;
  }

  /** Runs a group: in one transaction, except operations that must run alone, in between. */
  private void runGroup(List<Op<?>> ops) {
    int from = 0;
    for (int i = 0; i < ops.size(); i++) {
      Op<?> op = ops.get(i);
      if (op.alone()) {
        if (i > from) {
          run(ops.subList(from, i));
        }
        runAlone(op);
        from = i + 1;
      }
    }
    if (from < ops.size()) {
      run(from == 0 ? ops : ops.subList(from, ops.size()));
    }
  }

  private void runAlone(Op<?> op) {
    try {
      op.execute(new Transaction(db));
    } catch (Throwable e) {
      db.repair();
      op.fail(SqliteStoreException.of(db.file, op.describe(), e));
    }
  }

  /** Runs {@code ops} in one transaction; if it fails, each one alone. Sets their outcomes. */
  private void run(List<Op<?>> ops) {
    SqliteStoreException gone = db.checkFile();
    if (gone != null) {
      if (!deletedReported) {
        deletedReported = true;
        logger.error("{}", gone.getMessage());
      }
      for (Op<?> op : ops) {
        op.fail(gone);
      }
      return;
    }
    boolean sync = false;
    for (Op<?> op : ops) {
      sync |= op.sync();
    }
    Transaction tx = new Transaction(db);
    try {
      db.begin(sync);
      for (Op<?> op : ops) {
        op.execute(tx);
      }
      tx.finish();
      db.commit();
    } catch (Throwable e) { // SQLException, or a bug: never let the writer die
      db.rollback();
      tx.undo();
      db.repair();
      if (ops.size() == 1) {
        Op<?> op = ops.get(0);
        op.fail(SqliteStoreException.of(db.file, op.describe(), e));
      } else {
        logger.debug("A transaction of {} operations on {} failed; running each alone",
            ops.size(), db.file, e);
        for (Op<?> op : ops) {
          run(List.of(op));
        }
      }
      return;
    }
    tx.publish();
    commits.incrementAndGet();
    operations.addAndGet(ops.size());
  }

  /** Runs {@code sql} on the connection, outside a transaction: for tests (pragmas). */
  void execute(String sql) {
    Op<Void> op = Op.alone("run " + sql, tx -> {
      db.execute(sql);
      return null;
    });
    submit(op).join();
  }

  /** Whether the last transaction's commit was synced to the disk: for tests. */
  boolean lastCommitSynced() {
    return db.syncing();
  }

  /** Transactions committed so far. */
  long commits() {
    return commits.get();
  }

  /** Operations committed so far. */
  long operations() {
    return operations.get();
  }

  /**
   * Stops taking operations, commits those already queued, and stops the threads. Called on the
   * completion thread (user code closing the engine), it does not wait for that thread, which
   * ends after completing what it was given.
   */
  void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (!direct) {
        pending.add(stop);
      }
    } finally {
      lock.unlock();
    }
    Thread t = thread;
    ExecutorService c = completer;
    if (t == null || c == null) {
      return;
    }
    boolean interrupted = false;
    while (t.isAlive() && t != Thread.currentThread()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    c.shutdown();
    if (Thread.currentThread() != completerThread) {
      try {
        if (!c.awaitTermination(30, TimeUnit.SECONDS)) {
          logger.warn("The completion thread of {} did not finish in 30 s", db.file);
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}

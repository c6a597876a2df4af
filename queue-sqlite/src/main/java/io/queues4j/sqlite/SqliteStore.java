package io.queues4j.sqlite;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueMetrics;
import io.queues4j.spi.MessageStore;
import io.queues4j.spi.QueueStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link MessageStore}: every queue of an engine in one embedded SQLite database file,
 * so that messages survive the process. Pass it to the engine, which closes it when it closes:
 *
 * <pre>{@code
 * QueueEngine engine = QueueEngine.builder().store(SqliteStore.open(Path.of("queues.db"))).build();
 * }</pre>
 *
 * <p><b>Durability.</b> A send completes only once its messages are committed: with {@link
 * Durability#FULL} (the default) the commit is on disk before the send completes, and survives a
 * power loss; with {@link Durability#NORMAL} it survives the process (a crash, {@code kill -9}),
 * but the last commits may be lost if the machine loses power. Claims and settlements are
 * committed before they complete too, so after the process ends every message is where it was:
 * waiting, delayed, held as a dead letter, or, if it was being delivered, waiting again with its
 * attempts kept (delivered at least once; its next delivery counts one more attempt). With FULL, a
 * commit of claims and settlements alone does not wait for the disk (the next commit of a send
 * syncs it): a power loss may undo the last of them, which at worst delivers a message once
 * more.
 *
 * <p><b>Throughput.</b> One writer thread runs the operations of all queues against the one
 * connection and commits whatever was queued since its last commit in one transaction (<em>group
 * commit</em>): many concurrent sends cost one fsync. Each operation's stage completes after the
 * commit, in order, on a completion thread of the store's own.
 *
 * <p><b>Memory.</b> The database is the source of truth; the store keeps only per-queue counters
 * in memory, never the messages, so a backlog may be far larger than the heap.
 *
 * <p><b>FIFO queues.</b> Queues whose names end in {@code .fifo} are FIFO queues here too:
 * their messages are claimed one group at a time, in send order, and their deduplication records
 * are kept in the database for their whole window, so that a duplicate is recognized after a
 * restart or a crash as well. A message that was being delivered when the process ended is first
 * again in its group.
 *
 * <p><b>Exclusive.</b> One store at a time opens a database: a second one, in this or another
 * process, fails with a {@link SqliteStoreException} ({@code LOCKED}) naming the process that
 * holds it (through the lock file {@code <database>.lock}, which the operating system releases
 * when that process ends, however it ends).
 *
 * <p><b>Failures.</b> An operation that fails (a full disk, a read-only or damaged file, a file
 * deleted while open) fails with a {@link SqliteStoreException} and changes nothing; a send fails
 * with {@link io.queues4j.QueueStorageException}, and the store goes on serving what it can.
 *
 * <p>Thread-safe.
 */
public final class SqliteStore implements MessageStore {
  private static final Logger logger = LoggerFactory.getLogger(SqliteStore.class);

  /** When a commit is safe. */
  public enum Durability {
    /**
     * Every commit that stores sent messages is written through to the disk before the sends
     * complete ({@code synchronous=FULL}): a send that completed survives a power loss. Commits
     * of claims and settlements alone are written like {@link #NORMAL}. The default.
     */
    FULL,
    /**
     * Commits are written to the operating system, and to the disk at checkpoints ({@code
     * synchronous=NORMAL} with write-ahead logging): a send that completed survives the process
     * ending in any way, but not necessarily a power loss or an operating system crash.
     */
    NORMAL
  }

  private final Path file;
  private final Durability durability;
  private final LockFile lock;
  private final Database db;
  private final Writer writer;
  private final ConcurrentHashMap<String, SqliteQueueStore> queues = new ConcurrentHashMap<>();
  private final Object creating = new Object();
  private volatile boolean closed;

  private SqliteStore(Builder b) {
    this.file = b.file;
    this.durability = b.durability;
    this.lock = LockFile.acquire(file);
    try {
      this.db = Database.open(file, durability, b.maxDatabaseSize);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    this.writer = new Writer(db, b.direct);
    long messages = 0;
    for (Database.StoredQueue q : db.storedQueues()) {
      queues.put(q.name(), new SqliteQueueStore(this, writer, q.id(), q.name(),
          new SqliteQueueStore.Committed(q.count(), q.bytes(), q.held(), q.oldest())));
      messages += q.count();
    }
    logger.info("Opened SQLite store {} ({} durability): {} messages in {} queues; {} messages"
            + " that were being delivered when it was last closed are waiting again",
        file, durability, messages, queues.size(), db.recoveredClaims());
  }

  /**
   * Opens (or creates) the database at {@code file} with the default settings: {@link
   * Durability#FULL}, group commit on the store's own writer thread.
   *
   * @param file the database file; its directory must exist
   * @return the store
   * @throws SqliteStoreException if the database cannot be opened: another store holds it
   *     ({@code LOCKED}), it is not a database or is damaged ({@code CORRUPT}), a newer queues4j
   *     wrote it ({@code NEWER_SCHEMA}), it is another application's SQLite database ({@code
   *     FOREIGN_DATABASE}), or its directory is missing or cannot be written ({@code IO}, {@code
   *     READ_ONLY})
   */
  public static SqliteStore open(Path file) {
    return builder(file).open();
  }

  /**
   * Starts the settings of a store on {@code file}.
   *
   * @param file the database file; its directory must exist
   * @return a builder with the defaults
   */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  @Override
  public QueueStore queue(String queue) {
    requireNonNull(queue, "queue");
    SqliteQueueStore q = queues.get(queue);
    if (q != null) {
      return q;
    }
    synchronized (creating) {
      q = queues.get(queue);
      if (q == null) {
        long id = join(writer.submit(new Op<>("create", queue, true,
            tx -> tx.createQueue(queue))));
        q = new SqliteQueueStore(this, writer, id, queue,
            new SqliteQueueStore.Committed(0, 0, 0, -1));
        queues.put(queue, q);
      }
      return q;
    }
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Override
  public Map<String, QueueMetrics> storedQueues() {
    if (closed) {
      throw new SqliteStoreException(SqliteStoreException.Reason.CLOSED, file,
          "SQLite store " + file + " is closed", null);
    }
    Map<String, QueueMetrics> stored = new LinkedHashMap<>();
    queues.values().stream().sorted((a, b) -> Long.compare(a.id, b.id)).forEach(q -> {
      QueueMetrics m = q.metrics();
      if (m.backlogCount() > 0) {
        stored.put(q.name(), m);
      }
    });
    return stored;
  }

  /**
   * Returns {@code false}: the messages are in the database file, not in the heap.
   *
   * @return {@code false}
   */
  @Override
  public boolean heapResident() {
    return false;
  }

  /**
   * Returns {@code true}: messages survive the process.
   *
   * @return {@code true}
   */
  @Override
  public boolean durable() {
    return true;
  }

  /**
   * Returns the database file.
   *
   * @return its path, as given
   */
  public Path file() {
    return file;
  }

  /**
   * Returns the durability the store commits with.
   *
   * @return the durability
   */
  public Durability durability() {
    return durability;
  }

  /**
   * Commits the operations already submitted, stops the store's threads, and releases the
   * database and its lock. Operations called afterwards fail with {@link SqliteStoreException}
   * ({@code CLOSED}). Idempotent.
   */
  @Override
  public void close() {
    synchronized (creating) {
      if (closed) {
        return;
      }
      closed = true;
    }
    writer.close();
    try {
      db.close();
    } catch (SQLException e) {
      logger.warn("Closing the SQLite store {} failed", file, e);
    } finally {
      lock.close();
    }
    logger.info("Closed SQLite store {}", file);
  }

  /** The writer, for tests in this package (commit counts, pragmas). */
  Writer writer() {
    return writer;
  }

  @Override
  public String toString() {
    return "SQLite store " + file;
  }

  /**
   * The settings of a {@link SqliteStore}. Not thread-safe; {@link #open()} may be called more
   * than once, each store on its own file.
   */
  public static final class Builder {
    private final Path file;
    private Durability durability = Durability.FULL;
    private long maxDatabaseSize;
    private boolean direct;

    private Builder(Path file) {
      this.file = requireNonNull(file, "file");
    }

    /**
     * Sets when a commit is safe; {@link Durability#FULL} by default.
     *
     * @param durability the durability
     * @return this builder
     */
    public Builder durability(Durability durability) {
      this.durability = requireNonNull(durability, "durability");
      return this;
    }

    /**
     * Caps the size of the database file: beyond it, operations that need more room (sends)
     * fail with {@link SqliteStoreException} ({@code DISK_FULL}) as if the disk were full, until
     * messages are removed. Unlimited by default.
     *
     * @param bytes the most bytes, at least 65,536
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is under 65,536
     */
    public Builder maxDatabaseSize(long bytes) {
      if (bytes < 65_536) {
        throw new IllegalArgumentException(
            "maxDatabaseSize must be at least 65536 bytes but was " + bytes);
      }
      this.maxDatabaseSize = bytes;
      return this;
    }

    /**
     * Runs every operation on the calling thread, committed before the call returns, with no
     * thread of the store's own and no group commit. For deterministic tests (an engine on a
     * virtual clock that runs everything on one thread); slow under concurrency, since every
     * operation is its own transaction. Off by default.
     *
     * @param direct whether to run operations directly
     * @return this builder
     */
    public Builder direct(boolean direct) {
      this.direct = direct;
      return this;
    }

    /**
     * Opens the store.
     *
     * @return the store
     * @throws SqliteStoreException as {@link SqliteStore#open(Path)} does
     */
    public SqliteStore open() {
      return new SqliteStore(this);
    }
  }
}

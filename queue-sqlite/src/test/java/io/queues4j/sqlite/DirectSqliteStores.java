package io.queues4j.sqlite;

import io.queues4j.QueueMetrics;
import io.queues4j.spi.MessageStore;
import io.queues4j.spi.QueueStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The factory that queue-core's behaviour suites use here ({@code -Dqueues4j.test.store}, see
 * {@code TestStores}): a fresh database per engine, in direct mode, so that the suites'
 * single-threaded virtual time sees every store operation done when the call returns.
 *
 * <p>These suites check behaviour, not fsyncs, and some open thousands of engines: the databases
 * live on {@code /dev/shm} (a RAM file system; {@code target/} where there is none), with NORMAL
 * durability, and each is deleted when its engine closes its store. The store's durability is
 * tested elsewhere, on disk.
 */
public final class DirectSqliteStores {
  private static final Path ROOT = root();
  private static final AtomicLong NEXT = new AtomicLong();

  static {
    // engines a test never closed leave their databases: remove them all when the JVM ends
    Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(ROOT), "delete-test-databases"));
  }

  private DirectSqliteStores() {}

  private static Path root() {
    Path shm = Path.of("/dev/shm");
    Path base = Files.isDirectory(shm) && Files.isWritable(shm)
        ? shm : Path.of("target").toAbsolutePath();
    return base.resolve("queues4j-sqlite-engine-suites-" + ProcessHandle.current().pid());
  }

  /**
   * Opens a store on a new, empty database, deleted when the store closes.
   *
   * @return the store
   */
  public static MessageStore create() {
    Path dir = ROOT.resolve("engine-" + NEXT.incrementAndGet());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SqliteStore store = SqliteStore.builder(dir.resolve("queues.db"))
        .durability(SqliteStore.Durability.NORMAL)
        .direct(true)
        .open();
    return new Deleting(store, dir);
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The store, and its directory deleted once it is closed. */
  private static final class Deleting implements MessageStore {
    private final SqliteStore store;
    private final Path dir;

    Deleting(SqliteStore store, Path dir) {
      this.store = store;
      this.dir = dir;
    }

    @Override
    public QueueStore queue(String queue) {
      return store.queue(queue);
    }

    @Override
    public Map<String, QueueMetrics> storedQueues() {
      return store.storedQueues();
    }

    @Override
    public boolean heapResident() {
      return store.heapResident();
    }

    @Override
    public boolean durable() {
      return store.durable();
    }

    @Override
    public void close() {
      store.close();
      delete(dir);
    }

    @Override
    public String toString() {
      return store.toString();
    }
  }
}

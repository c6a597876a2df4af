package io.queues4j.sqlite;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive hold of one process on a database: an OS lock ({@link FileChannel#tryLock}) on
 * {@code <database>.lock}, which holds the holder's pid, host and start time so that a second
 * opener can say who has it. The OS releases the lock when the process dies, however it dies.
 *
 * <p>Within one JVM a second store on the same file is refused before its lock file is even
 * opened: on POSIX systems closing <em>any</em> descriptor of a file releases every lock the
 * process holds on it, so merely trying (and closing the channel) would free the first store's
 * lock for other processes. Hence the one static set below, of the lock files this JVM holds.
 */
final class LockFile implements AutoCloseable {
  /** Lock files held by stores of this JVM, with who holds them. */
  private static final ConcurrentHashMap<Path, String> HELD = new ConcurrentHashMap<>();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private LockFile(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code database}.
   *
   * @throws SqliteStoreException {@code LOCKED} naming the holder, or {@code IO}
   */
  static LockFile acquire(Path database) {
    Path path = database.resolveSibling(database.getFileName() + ".lock");
    Path key = key(path);
    String self = describeThisProcess();
    String holder = HELD.putIfAbsent(key, self);
    if (holder != null) {
      throw locked(database, path, "another store of this process: " + holder);
    }
    try {
      return acquire(database, path, key, self);
    } catch (RuntimeException e) {
      HELD.remove(key);
      throw e;
    }
  }

  /** The lock file's identity: its real directory, so that two spellings are one file. */
  private static Path key(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path dir = absolute.getParent();
    try {
      return dir == null ? absolute : dir.toRealPath().resolve(absolute.getFileName());
    } catch (IOException e) {
      return absolute; // no directory: opening fails below with a clear message
    }
  }

  private static SqliteStoreException locked(Path database, Path path, String holder) {
    return new SqliteStoreException(SqliteStoreException.Reason.LOCKED, database,
        "SQLite store " + database + " is in use by " + holder + "; a database belongs to one"
            + " store at a time (lock file " + path + ")", null);
  }

  private static LockFile acquire(Path database, Path path, Path key, String self) {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new SqliteStoreException(SqliteStoreException.Reason.IO, database,
          "SQLite store " + database + ": cannot open its lock file " + path + ": " + e, e);
    }
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // this JVM locked it other than through a store: treat as held
      }
      if (lock == null) {
        String holder = read(channel);
        channel.close(); // this process holds no lock on it: closing releases nothing
        throw locked(database, path, "another process: " + holder);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(self.getBytes(StandardCharsets.UTF_8)), 0);
      return new LockFile(key, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new SqliteStoreException(SqliteStoreException.Reason.IO, database,
          "SQLite store " + database + ": cannot lock " + path + ": " + e, e);
    }
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(1024);
    channel.read(buffer, 0);
    String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? "holder unknown" : text.replace('\n', ' ');
  }

  private static String describeThisProcess() {
    ProcessHandle self = ProcessHandle.current();
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown";
    }
    Instant started = self.info().startInstant().orElse(Instant.now());
    return "pid " + self.pid() + ", host " + host + ", started " + started;
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // already failing
    }
  }

  /** Releases the lock; the file stays, emptied. */
  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        channel.truncate(0);
        lock.release();
      }
    } catch (IOException e) {
      // the lock goes with the channel
    } finally {
      closeQuietly(channel);
      HELD.remove(key);
    }
  }
}

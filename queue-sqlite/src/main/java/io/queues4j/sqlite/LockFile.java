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

/**
 * The exclusive hold of one process on a database: an OS lock ({@link FileChannel#tryLock}) on
 * {@code <database>.lock}, which holds the holder's pid, host and start time so that a second
 * opener can say who has it. The OS releases the lock when the process dies, however it dies.
 */
final class LockFile implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private LockFile(FileChannel channel, FileLock lock) {
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
        lock = null; // this JVM holds it already, through another store
      }
      if (lock == null) {
        String holder = read(channel);
        channel.close();
        throw new SqliteStoreException(SqliteStoreException.Reason.LOCKED, database,
            "SQLite store " + database + " is in use by another store (" + holder
                + "); a database belongs to one store at a time (lock file " + path + ")",
            null);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(describeThisProcess().getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return new LockFile(channel, lock);
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
    return "pid " + self.pid() + ", host " + host + ", started " + started + "\n";
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
    }
  }
}

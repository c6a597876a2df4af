package io.queues4j.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Fresh database paths under {@code target/sqlite-tests}, one directory each. */
final class TempDatabases {
  private static final Path ROOT = Path.of("target", "sqlite-tests").toAbsolutePath();
  private static final AtomicLong NEXT = new AtomicLong();

  private TempDatabases() {}

  /** A path in a new, empty directory; the file does not exist yet. */
  static Path fresh(String name) {
    try {
      Path dir = ROOT.resolve(name + "-" + ProcessHandle.current().pid() + "-"
          + NEXT.incrementAndGet());
      Files.createDirectories(dir);
      return dir.resolve("queues.db");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.queues4j.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueContentType;
import io.queues4j.QueueSendOptions;
import io.queues4j.QueueStorageException;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Storage failures, through the engine: each fails the send with a {@link QueueStorageException}
 * whose cause is a {@link SqliteStoreException} of the right {@link SqliteStoreException.Reason},
 * stores nothing of it, and the engine goes on serving what it can.
 */
class StorageFailureTest {
  private static final ConsumerSettings NOW =
      ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).build();

  /** The failure of a send, unwrapped; fails the test if the send did not fail. */
  private static Throwable failure(CompletableFuture<?> send) {
    try {
      send.join();
    } catch (CompletionException e) {
      return java.util.Objects.requireNonNull(e.getCause());
    }
    throw new AssertionError("the send did not fail");
  }

  private static SqliteStoreException.Reason reasonOf(Throwable failure) {
    assertThat(failure).isInstanceOf(QueueStorageException.class)
        .hasCauseInstanceOf(SqliteStoreException.class);
    return ((SqliteStoreException) java.util.Objects.requireNonNull(failure.getCause())).reason();
  }

  @Test
  void aFullDatabaseFailsSendsWholeAndStillDeliversWhatItHolds() {
    Path file = TempDatabases.fresh("full");
    SqliteStore store = SqliteStore.builder(file).maxDatabaseSize(256 * 1024).open();
    try (QueueEngine engine = QueueEngine.builder().store(store).build()) {
      engine.declareQueue("jobs");
      Queue<byte[]> jobs = engine.queue("jobs");
      QueueSendOptions bytes = QueueSendOptions.contentType(QueueContentType.BYTES);
      int stored = 0;
      Throwable full = null;
      while (full == null) {
        CompletableFuture<?> send = jobs.send(new byte[1000], bytes);
        try {
          send.join();
          stored++;
        } catch (CompletionException e) {
          full = java.util.Objects.requireNonNull(e.getCause());
        }
      }
      assertThat(reasonOf(full)).isEqualTo(SqliteStoreException.Reason.DISK_FULL);
      assertThat(full).hasMessageContaining(file.toString()).hasMessageContaining("full");
      assertThat(stored).isGreaterThan(50);
      List<MessageSendRequest<byte[]>> batch = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        batch.add(MessageSendRequest.of(new byte[1000], QueueContentType.BYTES));
      }
      assertThat(reasonOf(failure(jobs.sendBatch(batch))))
          .isEqualTo(SqliteStoreException.Reason.DISK_FULL);
      assertThat(engine.stats("jobs").metrics().backlogCount())
          .as("nothing of the failed sends is stored").isEqualTo(stored);
      assertThat(engine.stats("jobs").failedSends()).isEqualTo(2);

      AtomicInteger delivered = new AtomicInteger();
      engine.consume("jobs", byte[].class, NOW, (b, ctx) -> delivered.addAndGet(b.messages().size()));
      int expected = stored;
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() == expected);
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> engine.stats("jobs").metrics().backlogCount() == 0);
      assertThat(jobs.sendBatch(batch)).as("room again once drained")
          .succeedsWithin(Duration.ofSeconds(10));
    }
  }

  @Test
  void aReadOnlyDatabaseFailsSendsUntilItIsWritableAgain() {
    // Tests run as root, whom file permissions do not stop: the writer's connection is switched
    // to query_only, which refuses writes with the same SQLITE_READONLY a read-only file gives.
    SqliteStore store = SqliteStore.open(TempDatabases.fresh("read-only"));
    try (QueueEngine engine = QueueEngine.builder().store(store).build()) {
      engine.declareQueue("jobs");
      Queue<String> jobs = engine.queue("jobs");
      jobs.send("before").join();
      store.writer().execute("PRAGMA query_only = 1");
      Throwable refused = failure(jobs.send("while read-only"));
      assertThat(reasonOf(refused)).isEqualTo(SqliteStoreException.Reason.READ_ONLY);
      assertThat(refused).hasMessageContaining("read-only");
      assertThat(engine.stats("jobs").metrics().backlogCount()).isEqualTo(1);

      store.writer().execute("PRAGMA query_only = 0");
      jobs.send("after").join();
      List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      engine.consume("jobs", String.class, NOW,
          (b, ctx) -> b.messages().forEach(m -> seen.add(m.body())));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
      assertThat(seen).containsExactly("before", "after");
    }
  }

  @Test
  void aDeletedDirectoryFailsSendsInsteadOfWritingToAFileNobodyWillFind() throws IOException {
    Path file = TempDatabases.fresh("deleted");
    SqliteStore store = SqliteStore.open(file);
    try (QueueEngine engine = QueueEngine.builder().store(store).build()) {
      engine.declareQueue("jobs");
      Queue<String> jobs = engine.queue("jobs");
      jobs.send("kept in memory only by the dead file").join();
      deleteRecursively(java.util.Objects.requireNonNull(file.getParent()));

      Throwable gone = failure(jobs.send("x"));
      assertThat(reasonOf(gone)).isEqualTo(SqliteStoreException.Reason.DELETED);
      assertThat(gone).hasMessageContaining(file.toString()).hasMessageContaining("deleted");
      assertThat(reasonOf(failure(jobs.send("y")))).isEqualTo(SqliteStoreException.Reason.DELETED);
      assertThat(engine.stats("jobs").failedSends()).isEqualTo(2);
      assertThat(engine.stats("jobs").metrics().backlogCount()).isEqualTo(1);
    }
  }

  @Test
  void aFileThatIsNotADatabaseIsRefusedAtOpenNamingIt() throws IOException {
    Path file = TempDatabases.fresh("garbage");
    byte[] garbage = new byte[16_384];
    new java.util.Random(42).nextBytes(garbage);
    Files.write(file, garbage);
    assertThatThrownBy(() -> SqliteStore.open(file))
        .isInstanceOfSatisfying(SqliteStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(SqliteStoreException.Reason.CORRUPT))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a database");
    assertThat(Files.readAllBytes(file)).as("left as it was").isEqualTo(garbage);
    // and the lock was released: a repaired file opens
    Files.delete(file);
    SqliteStore.open(file).close();
  }

  @Test
  void aDatabaseDamagedWhileOpenFailsTheOperationsThatReachTheDamage() throws IOException {
    Path file = TempDatabases.fresh("damaged");
    SqliteStore store = SqliteStore.open(file);
    try (QueueEngine engine = QueueEngine.builder().store(store).build()) {
      engine.declareQueue("jobs");
      Queue<byte[]> jobs = engine.queue("jobs");
      QueueSendOptions bytes = QueueSendOptions.contentType(QueueContentType.BYTES);
      for (int i = 0; i < 400; i++) {
        jobs.send(new byte[500], bytes).join();
      }
      // everything into the main file, then the cache emptied, so pages are read from disk again
      store.writer().execute("PRAGMA wal_checkpoint(TRUNCATE)");
      store.writer().execute("PRAGMA cache_size = 0");
      store.writer().execute("PRAGMA cache_size = -16000");
      damageEveryPageButTheFirst(file);

      Throwable damaged = failure(jobs.send(new byte[500], bytes));
      assertThat(reasonOf(damaged)).isEqualTo(SqliteStoreException.Reason.CORRUPT);
      assertThat(damaged).hasMessageContaining(file.toString());
      assertThat(engine.stats("jobs").metrics().backlogCount()).isEqualTo(400);
    }
  }

  private static void damageEveryPageButTheFirst(Path file) throws IOException {
    byte[] content = Files.readAllBytes(file);
    for (int i = 4096; i < content.length; i++) {
      content[i] = (byte) (i * 31 + 7);
    }
    try (var channel = java.nio.channels.FileChannel.open(file,
        java.nio.file.StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(content, 4096, content.length - 4096), 4096);
      channel.force(true);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

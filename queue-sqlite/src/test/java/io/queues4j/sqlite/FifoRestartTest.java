package io.queues4j.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.QueueContentType;
import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sqlite.JDBC;

/**
 * What a FIFO queue keeps across a close and a reopen of the store: its messages in their groups,
 * a claimed message first again in its group, its deduplication records (even of messages since
 * deleted), and keys that go on increasing; and the expired records are swept in batches.
 */
class FifoRestartTest {
  private static final long T0 = 1_767_225_600_000L;
  private static final long WINDOW = 300_000;
  private static final long LEASE = T0 + 3_600_000;

  private final AtomicLong ids = new AtomicLong(1);

  private StoredMessage message(String group, String body, long at) {
    return StoredMessage.of(0xabc, ids.getAndIncrement(), at,
        body.getBytes(StandardCharsets.UTF_8), QueueContentType.TEXT, at, 0, group, "k:" + body);
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private static List<String> bodies(ClaimResult r) {
    List<String> bodies = new ArrayList<>();
    for (Claim c : r.claims()) {
      bodies.add(new String(c.message().body(), StandardCharsets.UTF_8));
    }
    return bodies;
  }

  @Test
  void groupsClaimsDeduplicationAndKeysSurviveAReopen() {
    Path file = TempDatabases.fresh("fifo-restart");
    StoredMessage paid = message("c", "pay", T0);
    long lastKey;
    try (SqliteStore store = SqliteStore.open(file)) {
      QueueStore q = store.queue("jobs.fifo");
      join(q.addDeduplicated(List.of(message("a", "a1", T0), message("a", "a2", T0),
          message("b", "b1", T0), paid), T0, WINDOW));
      ClaimResult a = join(q.claimGroup(1, T0, LEASE));
      assertThat(bodies(a)).containsExactly("a1"); // in flight when the store closes
      join(q.claimGroup(10, T0, LEASE)); // b1
      ClaimResult c = join(q.claimGroup(10, T0, LEASE));
      assertThat(bodies(c)).containsExactly("pay");
      lastKey = c.claims().get(0).key();
      join(q.settle(List.of(new Settlement.Delete(c.claims().get(0))))); // acked: gone
    }

    try (SqliteStore store = SqliteStore.open(file)) {
      QueueStore q = store.queue("jobs.fifo");
      assertThat(q.metrics().backlogCount()).isEqualTo(3);
      StoredMessage again = message("c", "pay", T0 + WINDOW - 1);
      assertThat(join(q.addDeduplicated(List.of(again), T0 + WINDOW - 1, WINDOW)))
          .as("a duplicate of a message deleted before the restart").containsExactly(paid.id());
      assertThat(q.metrics().backlogCount()).isEqualTo(3);
      ClaimResult first = join(q.claimGroup(10, T0 + 1, LEASE));
      assertThat(bodies(first)).as("the claim in flight is first again in its group, then the"
          + " rest of it").containsExactly("a1", "a2");
      assertThat(first.claims().get(0).message().attempts()).isEqualTo(2);
      assertThat(bodies(join(q.claimGroup(10, T0 + 1, LEASE)))).containsExactly("b1");
      StoredMessage later = message("c", "later", T0 + 2);
      join(q.addDeduplicated(List.of(later), T0 + 2, WINDOW));
      ClaimResult next = join(q.claimGroup(10, T0 + 2, LEASE));
      assertThat(bodies(next)).containsExactly("later");
      assertThat(next.claims().get(0).key()).as("keys go on increasing across the restart")
          .isGreaterThan(lastKey);
      StoredMessage expired = message("c", "pay", T0 + WINDOW);
      assertThat(join(q.addDeduplicated(List.of(expired), T0 + WINDOW, WINDOW)))
          .as("the window has passed").containsExactly(expired.id());
    }
  }

  @Test
  void expiredDeduplicationRecordsAreSweptInBatches() throws SQLException {
    Path file = TempDatabases.fresh("fifo-sweep");
    try (SqliteStore store = SqliteStore.open(file)) {
      QueueStore q = store.queue("sweep.fifo");
      for (int batch = 0; batch < 15; batch++) { // 1,500 records, one batch of 100 at a time
        List<StoredMessage> messages = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          messages.add(message("g" + (i % 7), "m" + batch + "-" + i, T0));
        }
        join(q.addDeduplicated(messages, T0, WINDOW));
      }
      assertThat(records(file)).isEqualTo(1_500);
      long after = T0 + WINDOW;
      join(q.addDeduplicated(List.of(message("g0", "x1", after)), after, WINDOW));
      join(q.purge()); // an operation after the sweep: done once it completes
      assertThat(records(file)).as("one batch swept, and the new record")
          .isEqualTo(1_500 - SqliteQueueStore.SWEEP_BATCH + 1);
      join(q.addDeduplicated(List.of(message("g0", "x2", after)), after, WINDOW));
      join(q.purge());
      assertThat(records(file)).as("the full batch made the next send sweep again")
          .isEqualTo(2);
    }
  }

  private static long records(Path file) throws SQLException {
    try (Connection c = JDBC.createConnection(JDBC.PREFIX + file, new Properties());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM dedup")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

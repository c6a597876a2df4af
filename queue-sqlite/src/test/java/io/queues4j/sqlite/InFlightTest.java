package io.queues4j.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.QueueContentType;
import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A standard queue's claims in memory ({@link InFlight}): what the contract tests cannot reach
 * from outside. A transaction that fails gives its claim back; a message whose visibility comes
 * before the claim cursor is still claimed; a claim's record lives exactly as long as the claim.
 */
class InFlightTest {
  private static final long T0 = 1_000_000;

  @Test
  void aClaimInATransactionThatFailsIsUndone() {
    try (SqliteStore store = SqliteStore.open(TempDatabases.fresh("undo"))) {
      SqliteQueueStore q = (SqliteQueueStore) store.queue("jobs");
      q.add(List.of(message(1, T0), message(2, T0))).toCompletableFuture().join();
      // a claim, then a failure in the same transaction: rolled back, and the cursor with it
      Op<Void> failing = new Op<>("claim then fail in", "jobs", false, tx -> {
        assertThat(tx.claim(q, 10, T0).claims()).hasSize(2);
        throw new IllegalStateException("a bug in the middle of a transaction");
      });
      assertThatThrownBy(() -> store.writer().submit(failing).join())
          .isInstanceOf(CompletionException.class);
      ClaimResult again = q.claim(10, T0, T0 + 1_000).toCompletableFuture().join();
      assertThat(again.claims()).extracting(InFlightTest::body).containsExactly("1", "2");
      assertThat(again.claims()).allSatisfy(c -> assertThat(c.message().attempts()).isEqualTo(1));
      assertThat(claimRecords(store)).isEqualTo(1);
    }
  }

  @Test
  void aMessageVisibleBeforeTheCursorIsClaimedNext() {
    try (SqliteStore store = SqliteStore.open(TempDatabases.fresh("cursor"))) {
      SqliteQueueStore q = (SqliteQueueStore) store.queue("jobs");
      q.add(List.of(message(1, T0 + 50))).toCompletableFuture().join();
      Claim first = q.claim(10, T0 + 60, T0 + 1_000).toCompletableFuture().join().claims().get(0);
      // a sender whose clock read came before the claim's, and whose message lands after it
      q.add(List.of(message(2, T0 + 10))).toCompletableFuture().join();
      ClaimResult next = q.claim(10, T0 + 60, T0 + 1_000).toCompletableFuture().join();
      assertThat(next.claims()).extracting(InFlightTest::body).containsExactly("2");
      assertThat(next.claims().get(0).message().visibleAt()).as("raised to the cursor's")
          .isEqualTo(T0 + 50);
      assertThat(next.nextVisibleAt()).isEqualTo(Long.MAX_VALUE);
      assertThat(first.message().attempts()).isEqualTo(1);
    }
  }

  @Test
  void aClaimsRecordGoesWithItsLastSettlement() {
    try (SqliteStore store = SqliteStore.open(TempDatabases.fresh("records"))) {
      SqliteQueueStore q = (SqliteQueueStore) store.queue("jobs");
      q.add(List.of(message(1, T0), message(2, T0))).toCompletableFuture().join();
      List<Claim> claims = q.claim(10, T0, T0 + 1_000).toCompletableFuture().join().claims();
      assertThat(claimRecords(store)).isEqualTo(1);
      q.settle(List.of(new Settlement.Delete(claims.get(0)))).toCompletableFuture().join();
      assertThat(claimRecords(store)).as("one message still in flight").isEqualTo(1);
      q.settle(List.of(new Settlement.Retry(claims.get(1), T0 + 5, true)))
          .toCompletableFuture().join();
      assertThat(claimRecords(store)).isZero();
      Claim retried = q.claim(10, T0 + 5, T0 + 1_000).toCompletableFuture().join().claims().get(0);
      assertThat(retried.message().attempts()).isEqualTo(2);
      assertThat(retried.key()).isGreaterThan(claims.get(1).key());
    }
  }

  private static long claimRecords(SqliteStore store) {
    // a second connection reads what the writer committed (WAL: readers see the last commit)
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.file());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM claims")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String body(Claim claim) {
    return new String(claim.message().body(), StandardCharsets.UTF_8);
  }

  private static StoredMessage message(int n, long visibleAt) {
    return StoredMessage.of(7, n, T0, String.valueOf(n).getBytes(StandardCharsets.UTF_8),
        QueueContentType.TEXT, visibleAt, 0);
  }
}

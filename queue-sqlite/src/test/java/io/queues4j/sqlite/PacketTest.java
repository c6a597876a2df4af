package io.queues4j.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.QueueContentType;
import io.queues4j.spi.Claim;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * A standard queue's messages in {@link Packet}s, at the edges the contract tests do not aim at:
 * claims that take a packet in parts, settlements that leave a packet partly settled, a restart in
 * the middle, expiry and purge of part of a packet, visibilities mixed in one add.
 */
class PacketTest {
  private static final long T0 = 1_000_000;
  private static final long LEASE = T0 + 60_000;

  @Test
  void claimsTakePacketsInPartsInOrderAndARowGoesWithItsLastMessage() {
    Path file = TempDatabases.fresh("parts");
    try (SqliteStore store = SqliteStore.open(file)) {
      QueueStore q = store.queue("jobs");
      join(q.add(messages(0, 250, T0))); // more than two packets hold: 128 + 122
      assertThat(count(file, "packets")).isEqualTo(2);
      List<Claim> all = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        all.addAll(join(q.claim(10, T0, LEASE)).claims());
      }
      assertThat(all).extracting(PacketTest::body)
          .containsExactlyElementsOf(bodies(0, 250));
      assertThat(join(q.claim(10, T0, LEASE)).claims()).isEmpty();
      join(q.settle(deletes(all.subList(0, 127)))); // all of the first packet but its last
      assertThat(count(file, "packets")).isEqualTo(2);
      join(q.settle(deletes(all.subList(127, 128))));
      assertThat(count(file, "packets")).isEqualTo(1);
      assertThat(count(file, "claims")).as("the claim of 120..129 is still open").isEqualTo(13);
      join(q.settle(deletes(all.subList(128, 250))));
      assertThat(count(file, "packets")).isZero();
      assertThat(count(file, "claims")).isZero();
      assertThat(q.metrics().backlogCount()).isZero();
    }
  }

  @Test
  void aRestartDeliversAgainOnlyWhatWasNotSettledCountingTheDeliveriesUnderWay() {
    Path file = TempDatabases.fresh("restart");
    try (SqliteStore store = SqliteStore.open(file)) {
      QueueStore q = store.queue("jobs");
      join(q.add(messages(0, 100, T0)));
      List<Claim> a = join(q.claim(30, T0, LEASE)).claims(); // 0..29
      List<Claim> b = join(q.claim(30, T0, LEASE)).claims(); // 30..59
      join(q.settle(deletes(a.subList(0, 20)))); // 0..19 acked
      List<Settlement> retries = new ArrayList<>();
      for (Claim c : b.subList(0, 10)) { // 30..39 retried
        retries.add(new Settlement.Retry(c, T0 + 5, true));
      }
      join(q.settle(retries));
      assertThat(q.metrics().backlogCount()).isEqualTo(80);
    } // closed with 20..29 and 40..59 in flight: as if the process had died
    try (SqliteStore store = SqliteStore.open(file)) {
      QueueStore q = store.queue("jobs");
      assertThat(q.metrics().backlogCount()).isEqualTo(80);
      List<Claim> again = join(q.claim(100, T0 + 5, LEASE)).claims();
      List<String> expected = new ArrayList<>(bodies(20, 30));
      expected.addAll(bodies(40, 100));
      expected.addAll(bodies(30, 40)); // in a packet of their own, added after
      assertThat(again).extracting(PacketTest::body).containsExactlyElementsOf(expected);
      for (Claim c : again) {
        int n = Integer.parseInt(body(c));
        // in flight at the close (20..29, 40..59) or retried (30..39): delivered once before
        assertThat(c.message().attempts()).as("attempts of %s", n).isEqualTo(n >= 60 ? 1 : 2);
      }
    }
  }

  @Test
  void expiryTakesPartOfAPacketAndLeavesWhatIsInFlight() {
    Path file = TempDatabases.fresh("expiry");
    try (SqliteStore store = SqliteStore.open(file)) {
      QueueStore q = store.queue("jobs");
      join(q.add(messages(0, 10, T0)));
      List<Claim> inFlight = join(q.claim(2, T0, LEASE)).claims(); // 0, 1
      List<StoredMessage> expired = join(q.expire(T0 + 1, 3));
      assertThat(expired).extracting(PacketTest::body).containsExactly("2", "3", "4");
      assertThat(q.metrics().backlogCount()).isEqualTo(7);
      assertThat(join(q.claim(1, T0, LEASE)).claims()).extracting(PacketTest::body)
          .containsExactly("5");
      assertThat(join(q.expire(T0 + 1, 100))).extracting(PacketTest::body)
          .containsExactly("6", "7", "8", "9");
      assertThat(q.metrics().backlogCount()).as("0, 1 and 5 in flight").isEqualTo(3);
      join(q.settle(deletes(inFlight)));
      assertThat(count(file, "packets")).isEqualTo(1);
    }
    try (SqliteStore store = SqliteStore.open(file)) { // 5 was in flight: delivered again
      QueueStore q = store.queue("jobs");
      List<Claim> again = join(q.claim(10, T0, LEASE)).claims();
      assertThat(again).extracting(PacketTest::body).containsExactly("5");
      assertThat(again.get(0).message().attempts()).isEqualTo(2);
    }
  }

  @Test
  void purgeRemovesTheRestOfAPacketBeingDeliveredAndLaterPackets() {
    Path file = TempDatabases.fresh("purge");
    try (SqliteStore store = SqliteStore.open(file)) {
      QueueStore q = store.queue("jobs");
      join(q.add(messages(0, 100, T0)));
      join(q.add(messages(100, 150, T0)));
      List<Claim> inFlight = join(q.claim(10, T0, LEASE)).claims();
      assertThat(join(q.purge())).isEqualTo(140);
      assertThat(q.metrics().backlogCount()).isEqualTo(10);
      assertThat(join(q.claim(10, T0, LEASE)).claims()).isEmpty();
      join(q.add(messages(150, 152, T0)));
      assertThat(join(q.claim(10, T0, LEASE)).claims()).extracting(PacketTest::body)
          .containsExactly("150", "151");
      join(q.settle(deletes(inFlight)));
      assertThat(count(file, "packets")).as("only the last add's").isEqualTo(1);
    }
  }

  @Test
  void anAddOfMixedVisibilitiesIsClaimedByVisibilityThenInSendOrder() {
    try (SqliteStore store = SqliteStore.open(TempDatabases.fresh("mixed"))) {
      QueueStore q = store.queue("jobs");
      join(q.add(List.of(message(0, T0 + 5), message(1, T0), message(2, T0 + 5),
          message(3, T0))));
      var first = join(q.claim(10, T0, LEASE));
      assertThat(first.claims()).extracting(PacketTest::body).containsExactly("1", "3");
      assertThat(first.nextVisibleAt()).isEqualTo(T0 + 5);
      assertThat(join(q.claim(10, T0 + 5, LEASE)).claims()).extracting(PacketTest::body)
          .containsExactly("0", "2");
    }
  }

  @Test
  void addsSharingACommitShareAPacketInSendOrder() throws Exception {
    Path file = TempDatabases.fresh("shared");
    try (SqliteStore store = SqliteStore.open(file)) {
      SqliteQueueStore q = (SqliteQueueStore) store.queue("jobs");
      java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      var blocker = store.writer().submit(new Op<Void>("wait in", "jobs", false, tx -> {
        entered.countDown();
        try {
          release.await(); // the adds below queue up meanwhile: the next group takes them all
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return null;
      }));
      entered.await();
      List<java.util.concurrent.CompletableFuture<Void>> sends = new ArrayList<>();
      for (int n = 0; n < 150; n++) {
        sends.add(q.add(List.of(message(n, T0))).toCompletableFuture());
      }
      long commits = store.writer().commits();
      release.countDown();
      blocker.join();
      sends.forEach(java.util.concurrent.CompletableFuture::join);
      assertThat(store.writer().commits() - commits).as("the wait's commit, then the sends'")
          .isEqualTo(2);
      assertThat(count(file, "packets")).as("150 sends: a packet of 128 and one of 22")
          .isEqualTo(2);
      assertThat(join(q.claim(200, T0, LEASE)).claims()).extracting(PacketTest::body)
          .containsExactlyElementsOf(bodies(0, 150));
    }
  }

  @Test
  void aDamagedPacketIsReportedAsCorrupt() {
    byte[] blob = Packet.encode(messages(0, 2, T0), 0, 2);
    assertThat(java.util.Arrays.stream(decode(blob)).map(PacketTest::body))
        .containsExactly("0", "1");
    byte[] cut = java.util.Arrays.copyOf(blob, blob.length - 1);
    assertThatThrownBy(() -> Packet.decode(cut, T0))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode())
            .isEqualTo(org.sqlite.SQLiteErrorCode.SQLITE_CORRUPT.code))
        .hasMessageContaining("damaged");
  }

  private static StoredMessage[] decode(byte[] blob) {
    try {
      return Packet.decode(blob, T0);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private static List<Settlement> deletes(List<Claim> claims) {
    List<Settlement> deletes = new ArrayList<>();
    for (Claim c : claims) {
      deletes.add(new Settlement.Delete(c));
    }
    return deletes;
  }

  private static long count(Path file, String table) {
    // a second connection reads what the writer committed (WAL: readers see the last commit)
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> bodies(int from, int to) {
    List<String> bodies = new ArrayList<>();
    for (int n = from; n < to; n++) {
      bodies.add(String.valueOf(n));
    }
    return bodies;
  }

  private static List<StoredMessage> messages(int from, int to, long visibleAt) {
    List<StoredMessage> messages = new ArrayList<>();
    for (int n = from; n < to; n++) {
      messages.add(message(n, visibleAt));
    }
    return messages;
  }

  private static StoredMessage message(int n, long visibleAt) {
    return StoredMessage.of(7, n, T0, String.valueOf(n).getBytes(StandardCharsets.UTF_8),
        QueueContentType.TEXT, visibleAt, 0);
  }

  private static String body(Claim claim) {
    return body(claim.message());
  }

  private static String body(StoredMessage m) {
    return new String(m.body(), StandardCharsets.UTF_8);
  }
}

package io.queues4j.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.spi.StoredMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sqlite.JDBC;

/**
 * What {@link CrashRecoveryTest} knows: the child's journal, read incrementally (complete lines
 * only: a kill may cut the last one), and the checks of a database against it.
 */
final class CrashLedger {
  private final int maxRetries;
  private long offset;
  private final Set<String> intended = new HashSet<>();
  private final Set<String> sent = new HashSet<>();
  private final Set<String> acked = new HashSet<>();
  private final Set<String> deadLetters = new HashSet<>();
  private final Map<String, Integer> recoveries = new HashMap<>();
  private long deliveries;
  private long redeliveredAfterRecovery;
  private long recoveredClaims;
  private int maxAttemptsDelivered;
  private int maxAttemptsStored;

  CrashLedger(int maxRetries) {
    this.maxRetries = maxRetries;
  }

  /**
   * A message as the database holds it; {@code inFlight}: claimed when the child died (a FIFO row
   * marked claimed, or a standard queue's row listed in a claim record), so the next open counts
   * that delivery.
   */
  record Row(String queue, String body, int attempts, boolean inFlight) {}

  /** The database's messages, and whether each queue's counters match its rows. */
  record Inspection(List<Row> rows, List<String> counterMismatches) {}

  /** Reads the database directly (the child is dead: nothing else has it open). */
  static Inspection inspect(Path db) throws SQLException {
    List<Row> rows = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    try (Connection c = JDBC.createConnection(JDBC.PREFIX + db, new java.util.Properties());
        Statement s = c.createStatement()) {
      Set<Long> claimed = new HashSet<>();
      try (ResultSet rs = s.executeQuery("SELECT keys FROM claims")) {
        while (rs.next()) {
          for (long key : PacketTable.claimKeys(rs.getBytes(1))) {
            claimed.add(key);
          }
        }
      }
      Map<String, long[]> totals = new HashMap<>(); // count, bytes, held per queue
      try (ResultSet rs = s.executeQuery("SELECT q.name, m.body, m.attempts, m.state"
          + " FROM messages m JOIN queues q ON q.id = m.queue")) {
        while (rs.next()) {
          byte[] body = rs.getBytes(2);
          rows.add(new Row(rs.getString(1), text(body), rs.getInt(3),
              rs.getInt(4) == Schema.CLAIMED));
          count(totals, rs.getString(1), body.length, rs.getInt(4) == Schema.HELD);
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT q.name, p.key, p.visible_at, p.settled_low,"
          + " p.settled_high, p.messages FROM packets p JOIN queues q ON q.id = p.queue")) {
        while (rs.next()) {
          Packet p = Packet.read(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
              rs.getBytes(6));
          for (int i = 0; i < p.size(); i++) {
            if (!p.settled(i)) {
              StoredMessage m = p.messages[i];
              rows.add(new Row(rs.getString(1), text(m.body()), m.attempts(),
                  claimed.contains(Packet.claimKey(p.key, i))));
              count(totals, rs.getString(1), m.size(), false);
            }
          }
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT name, count, bytes, held FROM queues")) {
        while (rs.next()) {
          long[] t = totals.getOrDefault(rs.getString(1), new long[3]);
          if (rs.getLong(2) != t[0] || rs.getLong(3) != t[1] || rs.getLong(4) != t[2]) {
            mismatches.add(rs.getString(1) + ": counters " + rs.getLong(2) + "/" + rs.getLong(3)
                + "/" + rs.getLong(4) + " vs rows " + t[0] + "/" + t[1] + "/" + t[2]);
          }
        }
      }
    }
    return new Inspection(rows, mismatches);
  }

  /** A message body as the child sent it: a JSON string, unquoted. */
  private static String text(byte[] body) {
    String json = new String(body, StandardCharsets.UTF_8);
    return json.substring(1, json.length() - 1);
  }

  private static void count(Map<String, long[]> totals, String queue, long bytes, boolean held) {
    long[] t = totals.computeIfAbsent(queue, q -> new long[3]);
    t[0]++;
    t[1] += bytes;
    t[2] += held ? 1 : 0;
  }

  /** Reads the journal's new complete lines. */
  void readJournal(Path journal) throws IOException {
    try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size <= offset) {
        return;
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) (size - offset));
      while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
        // read all
      }
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      if (end < 0) {
        return;
      }
      offset += text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
      for (String line : text.substring(0, end).split("\n", -1)) {
        apply(line);
      }
    }
  }

  private void apply(String line) {
    String[] f = line.split(" ", -1);
    switch (f[0]) {
      case "T" -> intended.add(f[1]);
      case "S" -> sent.add(f[1]);
      case "A" -> acked.add(f[1]);
      case "L" -> deadLetters.add(f[1]);
      case "D" -> {
        int attempts = Integer.parseInt(f[2]);
        deliveries++;
        maxAttemptsDelivered = Math.max(maxAttemptsDelivered, attempts);
        if (recoveries.containsKey(f[1])) {
          redeliveredAfterRecovery++;
        }
        assertThat(attempts).as("attempts of a delivery of %s", f[1])
            .isBetween(1, maxRetries + 1);
      }
      default -> throw new AssertionError("unexpected journal line: " + line);
    }
  }

  /** The invariants that hold whenever the child is dead. */
  void checkAfterKill(Inspection state, String when) {
    assertThat(state.counterMismatches()).as("%s: queue counters vs rows", when).isEmpty();
    Map<String, Row> stored = new HashMap<>();
    for (Row row : state.rows()) {
      Row twice = stored.put(row.body(), row);
      assertThat(twice).as("%s: %s stored twice", when, row.body()).isNull();
      assertThat(intended).as("%s: stored %s was sent", when, row).contains(row.body());
      int bound = (row.queue().equals(CrashChild.QUEUE) ? maxRetries + 1 : 1)
          + recoveries.getOrDefault(row.body(), 0);
      assertThat(row.attempts()).as("%s: attempts of %s (%s recoveries)", when, row,
          recoveries.getOrDefault(row.body(), 0)).isLessThanOrEqualTo(bound);
      maxAttemptsStored = Math.max(maxAttemptsStored, row.attempts());
    }
    List<String> lost = new ArrayList<>();
    for (String body : sent) {
      if (!stored.containsKey(body) && !acked.contains(body) && !deadLetters.contains(body)) {
        lost.add(body);
      }
    }
    assertThat(lost).as("%s: sends that completed but are neither stored nor acked", when)
        .isEmpty();
    for (Row row : state.rows()) {
      if (row.inFlight()) { // in flight when killed: the next open recovers it
        recoveries.merge(row.body(), 1, Integer::sum);
        recoveredClaims++;
      }
    }
  }

  /** After the last child drained both queues and exited normally. */
  void checkDrained(Inspection state, String when) {
    checkAfterKill(state, when);
    assertThat(state.rows()).as("%s: messages left", when).isEmpty();
    for (String body : sent) {
      if (CrashChild.fate(body) == 2) {
        assertThat(deadLetters).as("%s: poison %s dead-lettered", when, body).contains(body);
      }
    }
  }

  String summary() {
    return sent.size() + " messages sent (" + intended.size() + " attempted), " + deliveries
        + " deliveries, " + acked.size() + " acked, " + deadLetters.size()
        + " dead-lettered and consumed; " + recoveredClaims + " claims in flight at a kill,"
        + " redelivered after recovery " + redeliveredAfterRecovery + " times; max attempts"
        + " delivered " + maxAttemptsDelivered + ", stored " + maxAttemptsStored
        + "; no message lost, invented or duplicated in the store, queue counters exact";
  }
}

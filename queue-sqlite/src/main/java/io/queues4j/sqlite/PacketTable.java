package io.queues4j.sqlite;

import io.queues4j.spi.StoredMessage;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of standard queues' waiting messages ({@link Packet}s) and of their claim records. Used
 * by the writer only, inside a transaction that the caller opened; statements prepared once.
 */
final class PacketTable implements AutoCloseable {
  private static final String COLUMNS = "key, visible_at, settled_low, settled_high, messages";

  private final PreparedStatement insert;
  private final PreparedStatement ready;
  private final PreparedStatement nextVisible;
  private final PreparedStatement mark;
  private final PreparedStatement delete;
  private final PreparedStatement expirable;
  private final PreparedStatement purge;
  private final PreparedStatement oldest;
  private final PreparedStatement recordClaim;
  private final PreparedStatement dropClaim;
  private final PreparedStatement find;
  private final PreparedStatement rewrite;
  private final List<PreparedStatement> all = new ArrayList<>();

  PacketTable(Connection connection) throws SQLException {
    insert = prepare(connection, "INSERT INTO packets (key, queue, visible_at, timestamp,"
        + " settled_low, settled_high, messages) VALUES (?, ?, ?, ?, 0, 0, ?)");
    ready = prepare(connection, "SELECT " + COLUMNS + " FROM packets WHERE queue = ?"
        + " AND (visible_at, key) > (?, ?) AND visible_at <= ? ORDER BY visible_at, key");
    nextVisible = prepare(connection, "SELECT visible_at FROM packets WHERE queue = ?"
        + " AND (visible_at, key) > (?, ?) ORDER BY visible_at, key LIMIT 1");
    mark = prepare(connection, "UPDATE packets SET settled_low = ?, settled_high = ?,"
        + " timestamp = ? WHERE key = ?");
    delete = prepare(connection, "DELETE FROM packets WHERE key = ?");
    expirable = prepare(connection, "SELECT " + COLUMNS + " FROM packets WHERE queue = ?"
        + " AND timestamp < ? AND (visible_at, key) >= (?, ?) ORDER BY timestamp, key");
    purge = prepare(connection,
        "DELETE FROM packets WHERE queue = ? AND (visible_at, key) > (?, ?)");
    oldest = prepare(connection, "SELECT MIN(timestamp) FROM packets WHERE queue = ?");
    recordClaim = prepare(connection,
        "INSERT INTO claims (lease, queue, keys) VALUES (?, ?, ?)");
    dropClaim = prepare(connection, "DELETE FROM claims WHERE lease = ?");
    find = prepare(connection, "SELECT " + COLUMNS + " FROM packets WHERE key = ?");
    rewrite = prepare(connection, "UPDATE packets SET messages = ? WHERE key = ?");
  }

  private PreparedStatement prepare(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    all.add(statement);
    return statement;
  }

  /** Adds a packet of {@code messages.subList(from, to)} to the pending inserts. */
  void addInsert(long key, long queue, long visibleAt, List<StoredMessage> messages, int from,
      int to) throws SQLException {
    long oldest = Long.MAX_VALUE;
    for (int i = from; i < to; i++) {
      oldest = Math.min(oldest, messages.get(i).timestamp());
    }
    insert.setLong(1, key);
    insert.setLong(2, queue);
    insert.setLong(3, visibleAt);
    insert.setLong(4, oldest);
    insert.setBytes(5, Packet.encode(messages, from, to));
    insert.addBatch();
  }

  void flushInserts() throws SQLException {
    insert.executeBatch();
  }

  /**
   * The queue's packets past the cursor visible at {@code now}, in (visible_at, key) order, read
   * until they hold {@code wanted} messages not settled. Reads only.
   */
  List<Packet> ready(long queue, InFlight.Cursor cursor, long now, int wanted)
      throws SQLException {
    ready.setLong(1, queue);
    ready.setLong(2, cursor.visibleAt());
    ready.setLong(3, cursor.key());
    ready.setLong(4, now);
    List<Packet> packets = new ArrayList<>(4);
    int found = 0;
    try (ResultSet rs = ready.executeQuery()) {
      while (found < wanted && rs.next()) {
        Packet p = read(rs);
        packets.add(p);
        found += p.open();
      }
    }
    return packets;
  }

  /** The earliest {@code visible_at} of a packet past the cursor, or {@link Long#MAX_VALUE}. */
  long nextVisible(long queue, InFlight.Cursor cursor) throws SQLException {
    nextVisible.setLong(1, queue);
    nextVisible.setLong(2, cursor.visibleAt());
    nextVisible.setLong(3, cursor.key());
    try (ResultSet rs = nextVisible.executeQuery()) {
      return rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
    }
  }

  /**
   * The queue's packets at or past the cursor whose oldest message not settled was sent before
   * {@code sentBefore}, oldest first, read until {@code expirable} counts {@code wanted} messages
   * in them: memory stays bounded by the need.
   */
  List<Packet> expirable(long queue, long sentBefore, InFlight.Cursor cursor, int wanted,
      ToIntFunction<Packet> expirable) throws SQLException {
    this.expirable.setLong(1, queue);
    this.expirable.setLong(2, sentBefore);
    this.expirable.setLong(3, cursor.visibleAt());
    this.expirable.setLong(4, cursor.key());
    List<Packet> packets = new ArrayList<>(4);
    int found = 0;
    try (ResultSet rs = this.expirable.executeQuery()) {
      while (found < wanted && rs.next()) {
        Packet p = read(rs);
        packets.add(p);
        found += expirable.applyAsInt(p);
      }
    }
    return packets;
  }

  private static Packet read(ResultSet rs) throws SQLException {
    return Packet.read(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
        rs.getBytes(5));
  }

  /**
   * Writes what changed of a packet, in the pending batch: deletes it once every message is
   * settled, else updates its settled bits and oldest send time.
   */
  void addChange(Packet p) throws SQLException {
    if (p.open() == 0) {
      delete.setLong(1, p.key);
      delete.addBatch();
    } else {
      mark.setLong(1, p.settledLow());
      mark.setLong(2, p.settledHigh());
      mark.setLong(3, p.oldest());
      mark.setLong(4, p.key);
      mark.addBatch();
    }
  }

  void flushChanges() throws SQLException {
    delete.executeBatch();
    mark.executeBatch();
  }

  /** Deletes the queue's packets past the cursor; returns how many packets. */
  int purge(long queue, InFlight.Cursor cursor) throws SQLException {
    purge.setLong(1, queue);
    purge.setLong(2, cursor.visibleAt());
    purge.setLong(3, cursor.key());
    return purge.executeUpdate();
  }

  /** The oldest send time among the queue's packets, or -1 if it has none. */
  long oldest(long queue) throws SQLException {
    oldest.setLong(1, queue);
    try (ResultSet rs = oldest.executeQuery()) {
      long min = rs.next() ? rs.getLong(1) : 0;
      return rs.wasNull() ? -1 : min;
    }
  }

  /** Records a claim: its lease and claim keys, for recovery. */
  void recordClaim(long lease, long queue, long[] keys) throws SQLException {
    ByteBuffer listed = ByteBuffer.allocate(keys.length * Long.BYTES);
    listed.asLongBuffer().put(keys);
    recordClaim.setLong(1, lease);
    recordClaim.setLong(2, queue);
    recordClaim.setBytes(3, listed.array());
    recordClaim.executeUpdate();
  }

  /** The keys a claim record lists (its {@code keys} column). */
  static long[] claimKeys(byte[] listed) {
    long[] keys = new long[listed.length / Long.BYTES];
    ByteBuffer.wrap(listed).asLongBuffer().get(keys);
    return keys;
  }

  /** Deletes a claim's record: its last message is settled. */
  void dropClaim(long lease) throws SQLException {
    dropClaim.setLong(1, lease);
    dropClaim.executeUpdate();
  }

  /** Reads one packet by key, or {@code null}: for recovery. */
  @Nullable Packet find(long key) throws SQLException {
    find.setLong(1, key);
    try (ResultSet rs = find.executeQuery()) {
      return rs.next() ? read(rs) : null;
    }
  }

  /** Writes a packet's messages again (their attempts changed): for recovery. */
  void rewrite(long key, List<StoredMessage> messages) throws SQLException {
    rewrite.setBytes(1, Packet.encode(messages, 0, messages.size()));
    rewrite.setLong(2, key);
    rewrite.executeUpdate();
  }

  @Override
  public void close() throws SQLException {
    MessageTable.closeAll(all);
  }
}

package io.queues4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.queues4j.sqlite.SqliteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.JDBC;

/**
 * The ceiling of the store's layout on this machine: raw JDBC on the SQLite store's own tables and
 * indexes, doing what the store does for a standard queue, where each {@code sendBatch} runs
 * <em>one</em> transaction that inserts its 100 messages as one packet (a row holding the encoded
 * messages, each with its id, send time, attempts, content type and length, as the store encodes
 * them), deletes the packet the previous cycle claimed and that claim's record, reads the next
 * packet past the claim cursor and records the claim (one row listing its 100 claim keys), then
 * decodes what it claimed. One commit per 100 messages and one row written twice per 100: the
 * fewest commits and statements a queue keeping one row per packet, and recovering its claims, can
 * have.
 *
 * <p>No real queue can group like this (a send would wait for the consumer, and a claim for the
 * next send), so it is not a floor to beat but a bound: what the engine on the same file could
 * reach if the store cost nothing beyond SQLite's own work and the encoding.
 */
final class SqliteCeiling extends SqlitePipelines.Windowed {
  /** Per message in a packet: id (2 longs), send time, attempts, content type, body length. */
  private static final int HEADER = 8 + 8 + 8 + 4 + 1 + 4;
  private final Path dir;
  private final ObjectWriter writer = Fixtures.MAPPER.writer();
  private final ObjectReader reader = Fixtures.MAPPER.readerFor(Order.class);
  private final ReentrantLock lock = new ReentrantLock();
  private final Connection connection;
  private final Statement control;
  private final PreparedStatement insert;
  private final PreparedStatement ready;
  private final PreparedStatement record;
  private final PreparedStatement delete;
  private final PreparedStatement dropRecord;
  private long claimedKey = -1;
  private long claimedLease;
  private long cursorVisibleAt = Long.MIN_VALUE;
  private long cursorKey = Long.MIN_VALUE;
  private long nextKey = 1;
  private long nextLease = 1;

  SqliteCeiling(Path dir, SqliteStore.Durability durability) {
    this.dir = dir;
    try {
      connection = JDBC.createConnection(JDBC.PREFIX + dir.resolve("ceiling.db"), new Properties());
      control = connection.createStatement();
      control.executeQuery("PRAGMA journal_mode = WAL").close();
      control.execute("PRAGMA synchronous = " + durability);
      control.execute("PRAGMA cache_size = -16000");
      control.execute("PRAGMA wal_autocheckpoint = 8192"); // as the store
      control.execute("CREATE TABLE packets (key INTEGER PRIMARY KEY, queue INTEGER NOT NULL,"
          + " visible_at INTEGER NOT NULL, timestamp INTEGER NOT NULL,"
          + " settled_low INTEGER NOT NULL, settled_high INTEGER NOT NULL,"
          + " messages BLOB NOT NULL)");
      control.execute("CREATE INDEX packets_claim ON packets (queue, visible_at, key)");
      control.execute("CREATE INDEX packets_sent ON packets (queue, timestamp)");
      control.execute("CREATE TABLE claims (lease INTEGER PRIMARY KEY, queue INTEGER NOT NULL,"
          + " keys BLOB NOT NULL)");
      insert = connection.prepareStatement("INSERT INTO packets (key, queue, visible_at,"
          + " timestamp, settled_low, settled_high, messages) VALUES (?, 1, ?, ?, 0, 0, ?)");
      ready = connection.prepareStatement("SELECT key, visible_at, settled_low, settled_high,"
          + " messages FROM packets WHERE queue = 1 AND (visible_at, key) > (?, ?)"
          + " AND visible_at <= ? ORDER BY visible_at, key");
      record = connection.prepareStatement(
          "INSERT INTO claims (lease, queue, keys) VALUES (?, 1, ?)");
      delete = connection.prepareStatement("DELETE FROM packets WHERE key = ?");
      dropRecord = connection.prepareStatement("DELETE FROM claims WHERE lease = ?");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  Object send(Order body) {
    return sendBatch(List.of(body));
  }

  @Override
  Object sendBatch(List<Order> bodies) {
    byte[][] encoded = SqlitePipelines.encode(writer, bodies);
    long now = System.currentTimeMillis();
    byte[] packet = pack(encoded, now);
    List<byte[]> claimed = new ArrayList<>(encoded.length);
    lock.lock();
    try {
      control.execute("BEGIN IMMEDIATE");
      insert.setLong(1, nextKey++);
      insert.setLong(2, now);
      insert.setLong(3, now);
      insert.setBytes(4, packet);
      insert.executeUpdate();
      if (claimedKey >= 0) {
        delete.setLong(1, claimedKey);
        delete.executeUpdate();
        dropRecord.setLong(1, claimedLease);
        dropRecord.executeUpdate();
        claimedKey = -1;
      }
      long lease = nextLease++;
      ready.setLong(1, cursorVisibleAt);
      ready.setLong(2, cursorKey);
      ready.setLong(3, now);
      try (ResultSet rs = ready.executeQuery()) {
        if (rs.next()) {
          claimedKey = rs.getLong(1);
          cursorVisibleAt = rs.getLong(2);
          cursorKey = claimedKey;
          unpack(rs.getBytes(5), claimed);
        }
      }
      if (!claimed.isEmpty()) {
        ByteBuffer listed = ByteBuffer.allocate(claimed.size() * Long.BYTES);
        for (int i = 0; i < claimed.size(); i++) {
          listed.putLong(claimedKey << 7 | i);
        }
        record.setLong(1, lease);
        record.setBytes(2, listed.array());
        record.executeUpdate();
        claimedLease = lease;
      }
      control.execute("COMMIT");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } finally {
      lock.unlock();
    }
    long sum = 0;
    try {
      for (byte[] body : claimed) {
        sum += reader.<Order>readValue(body).quantity();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    checksum += sum;
    handled(claimed.size());
    return encoded;
  }

  /** A packet of encoded bodies, laid out as the store lays out its messages. */
  private static byte[] pack(byte[][] encoded, long now) {
    int size = 0;
    for (byte[] body : encoded) {
      size += HEADER + body.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    long id = 0;
    for (byte[] body : encoded) {
      out.putLong(7).putLong(id++).putLong(now).putInt(0).put((byte) 0).putInt(body.length)
          .put(body);
    }
    return out.array();
  }

  /** The bodies of a packet, copied out as the store copies them. */
  private static void unpack(byte[] packet, List<byte[]> bodies) {
    ByteBuffer in = ByteBuffer.wrap(packet);
    while (in.hasRemaining()) {
      in.position(in.position() + HEADER - 4);
      byte[] body = new byte[in.getInt()];
      in.get(body);
      bodies.add(body);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    SqlitePipelines.delete(dir);
  }
}

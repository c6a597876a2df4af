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
 * <em>one</em> transaction that inserts its 100 bodies, deletes the rows the previous cycle
 * claimed and that claim's record, reads up to 100 ready rows past the claim cursor and records
 * the claim (one row listing the keys), then decodes what it claimed. One commit per 100
 * messages, each message written twice (add, delete) and each claim once: the fewest commits and
 * statements a queue keeping one row per message, and recovering its claims, can have.
 *
 * <p>No real queue can group like this (a send would wait for the consumer, and a claim for the
 * next send), so it is not a floor to beat but a bound: what the engine on the same file could
 * reach if the store cost nothing beyond SQLite's own work.
 */
final class SqliteCeiling extends SqlitePipelines.Windowed {
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
  private final int maxBatchSize;
  private long[] claimedKeys = new long[0];
  private long claimedLease;
  private long cursorVisibleAt = Long.MIN_VALUE;
  private long cursorKey = Long.MIN_VALUE;
  private long nextKey = 1;
  private long nextLease = 1;

  SqliteCeiling(Path dir, SqliteStore.Durability durability, int maxBatchSize) {
    this.dir = dir;
    this.maxBatchSize = maxBatchSize;
    try {
      connection = JDBC.createConnection(JDBC.PREFIX + dir.resolve("ceiling.db"), new Properties());
      control = connection.createStatement();
      control.executeQuery("PRAGMA journal_mode = WAL").close();
      control.execute("PRAGMA synchronous = " + durability);
      control.execute("PRAGMA cache_size = -16000");
      control.execute("PRAGMA wal_autocheckpoint = 8192"); // as the store
      control.execute("CREATE TABLE messages (key INTEGER PRIMARY KEY, queue INTEGER NOT NULL,"
          + " id_high INTEGER NOT NULL, id_low INTEGER NOT NULL, timestamp INTEGER NOT NULL,"
          + " body BLOB NOT NULL, content_type INTEGER NOT NULL, visible_at INTEGER NOT NULL,"
          + " attempts INTEGER NOT NULL, state INTEGER NOT NULL, lease INTEGER NOT NULL,"
          + " grp TEXT, dedupe TEXT)");
      control.execute("CREATE INDEX messages_claim ON messages (queue, state, visible_at, key)");
      control.execute("CREATE INDEX messages_sent ON messages (queue, timestamp)");
      control.execute("CREATE INDEX messages_held ON messages (queue, key) WHERE state = 2");
      control.execute("CREATE INDEX messages_group ON messages (queue, grp, state, key)"
          + " WHERE grp IS NOT NULL");
      control.execute("CREATE TABLE claims (lease INTEGER PRIMARY KEY, queue INTEGER NOT NULL,"
          + " keys BLOB NOT NULL)");
      insert = connection.prepareStatement("INSERT INTO messages (key, queue, id_high, id_low,"
          + " timestamp, body, content_type, visible_at, attempts, state, lease, grp, dedupe)"
          + " VALUES (?, 1, ?, ?, ?, ?, 0, ?, 0, 0, 0, NULL, NULL)");
      ready = connection.prepareStatement("SELECT key, body, visible_at FROM messages"
          + " WHERE queue = 1 AND state = 0 AND (visible_at, key) > (?, ?) AND visible_at <= ?"
          + " ORDER BY visible_at, key LIMIT ?");
      record = connection.prepareStatement(
          "INSERT INTO claims (lease, queue, keys) VALUES (?, 1, ?)");
      delete = connection.prepareStatement("DELETE FROM messages WHERE key = ? AND state = 0");
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
    List<byte[]> claimed = new ArrayList<>(maxBatchSize);
    long now = System.currentTimeMillis();
    lock.lock();
    try {
      control.execute("BEGIN IMMEDIATE");
      nextKey = SqlitePipelines.insert(insert, encoded, nextKey, now);
      for (long key : claimedKeys) {
        delete.setLong(1, key);
        delete.addBatch();
      }
      if (claimedKeys.length > 0) {
        delete.executeBatch();
        dropRecord.setLong(1, claimedLease);
        dropRecord.executeUpdate();
      }
      long lease = nextLease++;
      ready.setLong(1, cursorVisibleAt);
      ready.setLong(2, cursorKey);
      ready.setLong(3, now);
      ready.setInt(4, maxBatchSize);
      long[] keys = new long[maxBatchSize];
      try (ResultSet rs = ready.executeQuery()) {
        while (rs.next()) {
          keys[claimed.size()] = rs.getLong(1);
          claimed.add(rs.getBytes(2));
          cursorVisibleAt = rs.getLong(3);
          cursorKey = keys[claimed.size() - 1];
        }
      }
      if (!claimed.isEmpty()) {
        ByteBuffer listed = ByteBuffer.allocate(claimed.size() * Long.BYTES);
        for (int i = 0; i < claimed.size(); i++) {
          listed.putLong(keys[i]);
        }
        record.setLong(1, lease);
        record.setBytes(2, listed.array());
        record.executeUpdate();
      }
      control.execute("COMMIT");
      claimedKeys = java.util.Arrays.copyOf(keys, claimed.size());
      claimedLease = lease;
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

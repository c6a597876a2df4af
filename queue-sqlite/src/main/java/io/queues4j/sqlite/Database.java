package io.queues4j.sqlite;

import io.queues4j.spi.StoredMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.sqlite.JDBC;

/**
 * The store's one connection to its file: opened with the durability's pragmas, migrated and
 * recovered on open, then used by one thread at a time (the writer) in explicit transactions
 * ({@code BEGIN IMMEDIATE} ... {@code COMMIT}). Also hands out message keys and claim leases, and
 * notices when the file it opened is no longer the one at its path.
 */
final class Database implements AutoCloseable {
  /** Leases are {@code generation << LEASE_BITS | n}: unique across restarts. */
  private static final int LEASE_BITS = 40;
  /**
   * Keys are reserved in blocks: {@code meta.next_key} is raised this far past the next key when
   * a transaction goes past it, so keys keep increasing across restarts at the cost of one write
   * per block (a restart skips what is left of the block).
   */
  private static final long KEY_BLOCK = 1L << 20;

  final Path file;
  private final Connection connection;
  private final Statement control;
  private MessageTable table;
  private PacketTable packets;
  private FifoTable fifo;
  private PreparedStatement begin;
  private PreparedStatement commit;
  private final @Nullable Object fileKey;
  private long nextKey;
  private long keyLimit; // meta.next_key as committed: every key handed out is below it
  private long generation;
  private long leases;
  private long recoveredClaims;
  private final boolean full;
  private boolean syncing;

  /** A queue as stored: its id, name and exact counters, and its oldest send time (or -1). */
  record StoredQueue(long id, String name, long count, long bytes, long held, long oldest) {}

  private final List<StoredQueue> queues = new ArrayList<>();

  private Database(Path file, Connection connection, Statement control, boolean full)
      throws SQLException {
    this.file = file;
    this.full = full;
    this.syncing = full;
    this.connection = connection;
    this.control = control;
    this.begin = connection.prepareStatement("BEGIN IMMEDIATE");
    this.commit = connection.prepareStatement("COMMIT");
    this.table = new MessageTable(connection);
    this.packets = new PacketTable(connection);
    this.fifo = new FifoTable(connection);
    this.fileKey = fileKey(file);
  }

  /**
   * Opens (creating if needed), migrates and recovers the database: every message claimed by the
   * process that had it last becomes waiting again, its attempts kept.
   *
   * @throws SqliteStoreException if it cannot
   */
  static Database open(Path file, SqliteStore.Durability durability, long maxDatabaseSize) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new SqliteStoreException(SqliteStoreException.Reason.IO, file,
          "SQLite store " + file + ": its directory " + parent + " does not exist", null);
    }
    Connection connection = null;
    try {
      connection = JDBC.createConnection(JDBC.PREFIX + file, new Properties());
      Statement control = connection.createStatement();
      configure(file, control, durability, maxDatabaseSize);
      control.execute("BEGIN IMMEDIATE");
      try {
        Schema.migrate(connection, file);
        control.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        control.execute("ROLLBACK");
        throw e;
      }
      Database db = new Database(file, connection, control,
          durability == SqliteStore.Durability.FULL);
      db.recover();
      return db;
    } catch (SQLException | RuntimeException e) {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw SqliteStoreException.of(file, "open it", e);
    }
  }

  private static void configure(Path file, Statement control,
      SqliteStore.Durability durability, long maxDatabaseSize) throws SQLException {
    String mode = queryString(control, "PRAGMA journal_mode = WAL");
    if (!mode.equalsIgnoreCase("wal")) {
      throw new SqliteStoreException(SqliteStoreException.Reason.IO, file,
          "SQLite store " + file + ": cannot use write-ahead logging (journal mode stays "
              + mode + "); is the directory writable and on a local file system?", null);
    }
    control.execute("PRAGMA synchronous = "
        + (durability == SqliteStore.Durability.FULL ? "FULL" : "NORMAL"));
    control.execute("PRAGMA busy_timeout = 5000");
    control.execute("PRAGMA temp_store = MEMORY");
    control.execute("PRAGMA cache_size = -16000"); // 16 MB, native memory
    // checkpoint every 8,192 pages (32 MB of log) instead of 1,000: a page is written several
    // times between checkpoints (a packet's add and delete, the indexes, the counters), and a
    // longer log copies each page once per checkpoint rather than once per version (about 8%
    // more throughput, measured with one row per message)
    control.execute("PRAGMA wal_autocheckpoint = 8192");
    if (maxDatabaseSize > 0) {
      long pageSize = Long.parseLong(queryString(control, "PRAGMA page_size"));
      control.execute("PRAGMA max_page_count = " + Math.max(1, maxDatabaseSize / pageSize));
    }
  }

  private String queryString(String sql) throws SQLException {
    return queryString(control, sql);
  }

  private static String queryString(Statement control, String sql) throws SQLException {
    try (ResultSet rs = control.executeQuery(sql)) {
      return rs.next() ? Objects.requireNonNullElse(rs.getString(1), "") : "";
    }
  }

  private void recover() throws SQLException {
    begin(true);
    try {
      control.execute("UPDATE meta SET value = value + 1 WHERE name = 'generation'");
      generation = Long.parseLong(queryString(
          "SELECT value FROM meta WHERE name = 'generation'"));
      keyLimit = Long.parseLong(queryString("SELECT value FROM meta WHERE name = 'next_key'"));
      nextKey = Math.max(keyLimit, Long.parseLong(queryString("SELECT MAX("
          + "(SELECT COALESCE(MAX(key), 0) FROM messages),"
          + " (SELECT COALESCE(MAX(key), 0) FROM packets)) + 1")));
      List<long[]> counters = new ArrayList<>();
      List<String> names = new ArrayList<>();
      try (ResultSet rs = control.executeQuery(
          "SELECT id, name, count, bytes, held FROM queues ORDER BY id")) {
        while (rs.next()) {
          counters.add(new long[] {rs.getLong(1), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
          names.add(rs.getString(2));
        }
      }
      recoveredClaims += recoverClaims();
      try (PreparedStatement unclaim = connection.prepareStatement(
          "UPDATE messages SET state = 0, lease = 0 WHERE queue = ? AND state = 1")) {
        for (int i = 0; i < counters.size(); i++) {
          long[] c = counters.get(i);
          List<String> groups = fifo.claimedGroups(c[0]);
          unclaim.setLong(1, c[0]);
          recoveredClaims += unclaim.executeUpdate();
          for (String group : groups) { // claimed FIFO messages kept their keys: first again
            fifo.refresh(c[0], group);
          }
          queues.add(new StoredQueue(c[0], names.get(i), c[1], c[2], c[3],
              c[1] == 0 ? -1 : oldest(c[0])));
        }
      }
      commit();
    } catch (SQLException | RuntimeException e) {
      rollback();
      throw e;
    }
  }

  /**
   * Counts the deliveries that were under way when the process stopped: each message a standard
   * queue's claim record lists, if its packet is still there and it is not settled, gets one
   * attempt more (its packet is written again). Then the records go: nothing is in flight in a
   * new process.
   */
  private long recoverClaims() throws SQLException {
    TreeMap<Long, List<Integer>> listed = new TreeMap<>();
    try (Statement read = connection.createStatement();
        ResultSet rs = read.executeQuery("SELECT keys FROM claims")) {
      while (rs.next()) {
        for (long key : PacketTable.claimKeys(rs.getBytes(1))) {
          listed.computeIfAbsent(Packet.packetKey(key), k -> new ArrayList<>())
              .add(Packet.index(key));
        }
      }
    }
    long recovered = 0;
    for (Map.Entry<Long, List<Integer>> e : listed.entrySet()) {
      Packet p = packets.find(e.getKey());
      if (p == null) {
        continue;
      }
      List<StoredMessage> messages = new ArrayList<>(List.of(p.messages));
      boolean changed = false;
      for (int index : e.getValue()) {
        if (index < p.size() && !p.settled(index)) {
          StoredMessage m = messages.get(index);
          messages.set(index, m.with(m.visibleAt(), m.attempts() + 1));
          changed = true;
          recovered++;
        }
      }
      if (changed) {
        packets.rewrite(p.key, messages);
      }
    }
    control.execute("DELETE FROM claims");
    return recovered;
  }

  /** The oldest send time among the queue's messages (rows and packets), or -1. */
  long oldest(long queue) throws SQLException {
    long rows = table.oldest(queue);
    long packed = packets.oldest(queue);
    return rows < 0 ? packed : packed < 0 ? rows : Math.min(rows, packed);
  }

  /** The queues found at open, with their counters after recovery. */
  List<StoredQueue> storedQueues() {
    return queues;
  }

  /** The current prepared statements (new ones after {@link #repair()}). */
  MessageTable table() {
    return table;
  }

  /** The current prepared statements of standard queues' packets (new ones after a repair). */
  PacketTable packets() {
    return packets;
  }

  /** The current prepared statements of FIFO queues (new ones after {@link #repair()}). */
  FifoTable fifo() {
    return fifo;
  }

  /**
   * Prepares the statements again after a failure: the SQLite driver finalizes a prepared
   * statement whose execution fails with an error such as a full disk, a read-only or a damaged
   * database, after which it would fail for good (and {@code isClosed()} does not tell).
   */
  void repair() {
    try {
      closeStatements();
      table = new MessageTable(connection);
      packets = new PacketTable(connection);
      fifo = new FifoTable(connection);
      begin = connection.prepareStatement("BEGIN IMMEDIATE");
      commit = connection.prepareStatement("COMMIT");
    } catch (SQLException e) {
      // the next transaction fails, and comes back here
    }
  }

  private void closeStatements() {
    for (AutoCloseable statement : List.of(table, packets, fifo, begin, commit)) {
      try {
        statement.close();
      } catch (Exception e) {
        // already finalized
      }
    }
  }

  /** How many claimed messages the open made waiting again. */
  long recoveredClaims() {
    return recoveredClaims;
  }

  /** Creates a queue's row; returns its id. Inside a transaction. */
  long createQueue(String name) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO queues (name) VALUES (?) RETURNING id")) {
      insert.setString(1, name);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A key no message has: a message's place in line behind every key handed out before. */
  long nextKey() {
    return nextKey++;
  }

  /** A lease no claim of this database ever had, before or after a restart. */
  long nextLease() throws SQLException {
    if (++leases >= 1L << LEASE_BITS) {
      control.execute("UPDATE meta SET value = value + 1 WHERE name = 'generation'");
      generation = Long.parseLong(queryString(
          "SELECT value FROM meta WHERE name = 'generation'"));
      leases = 1;
    }
    return generation << LEASE_BITS | leases;
  }

  /** Whether the last transaction began syncing its commit to the disk. */
  boolean syncing() {
    return syncing;
  }

  /**
   * Opens a transaction. With FULL durability, {@code sync} tells whether its commit must reach
   * the disk before it completes: a transaction that adds messages must (a completed send
   * survives a power loss); one of claims and settlements only need not, and commits like NORMAL
   * durability (it survives the process; a power loss may undo it, which at worst delivers a
   * message once more, and the next synced commit, which syncs the whole log, makes it durable).
   */
  void begin(boolean sync) throws SQLException {
    boolean wanted = full && sync;
    if (wanted != syncing) {
      control.execute("PRAGMA synchronous = " + (wanted ? "FULL" : "NORMAL"));
      syncing = wanted;
    }
    begin.execute();
  }

  void commit() throws SQLException {
    long limit = keyLimit;
    if (nextKey > limit) { // in this transaction: undone with it if it rolls back
      limit = nextKey + KEY_BLOCK;
      control.execute("UPDATE meta SET value = " + limit + " WHERE name = 'next_key'");
    }
    commit.execute();
    keyLimit = limit;
  }

  /** Rolls back the open transaction, if there is one; never throws. */
  void rollback() {
    try {
      control.execute("ROLLBACK");
    } catch (SQLException e) {
      // no transaction was active: SQLite rolled it back itself (disk full, I/O error)
    }
  }

  /** Runs a pragma (or any statement) outside the store's operations: for tests. */
  void execute(String sql) throws SQLException {
    control.execute(sql);
  }

  /**
   * Tells why the file can no longer be written, if it is gone or replaced: a connection keeps
   * writing to a deleted file without any error, and everything written would be lost.
   */
  @Nullable SqliteStoreException checkFile() {
    Object now;
    try {
      now = fileKey(file);
    } catch (SQLException e) {
      now = null;
    }
    if (fileKey != null && !fileKey.equals(now)) {
      return new SqliteStoreException(SqliteStoreException.Reason.DELETED, file,
          "SQLite store " + file + ": the database file was deleted or replaced while open;"
              + " nothing more can be stored in it", null);
    }
    return null;
  }

  private static @Nullable Object fileKey(Path file) throws SQLException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new SQLException("cannot read the attributes of " + file, e);
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      closeStatements();
      control.close();
    } finally {
      connection.close();
    }
  }
}

package io.queues4j.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * The physical floor of the PostgreSQL store: raw JDBC doing the least a durable queue must do for
 * 100 messages, each step in its own transaction: insert 100 bodies in one statement, claim 100
 * with {@code FOR UPDATE SKIP LOCKED}, delete the 100. No engine, no leases, no counters, no
 * notifications, one table with one index. {@link PostgresBenchmark} runs it beside the engine on
 * the same server.
 */
final class PostgresFloor {
  private final DataSource db;
  private final byte[][] bodies = new byte[100][];

  PostgresFloor(DataSource db) throws SQLException, java.io.IOException {
    this.db = db;
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS floor_messages");
      st.execute("CREATE TABLE floor_messages (key bigserial PRIMARY KEY, state smallint NOT NULL"
          + " DEFAULT 0, visible_at bigint NOT NULL, body bytea NOT NULL)");
      st.execute("CREATE INDEX floor_waiting ON floor_messages (visible_at, key)"
          + " WHERE state = 0");
    }
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = Fixtures.MAPPER.writeValueAsBytes(Order.of(i, 0));
    }
  }

  /** Runs insert-claim-delete rounds on one connection until {@code stop}; counts messages. */
  void run(AtomicLong messages, BooleanSupplier stop) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement insert = c.prepareStatement("INSERT INTO floor_messages (visible_at,"
            + " body) SELECT 0, b FROM unnest(?::bytea[]) AS b");
        PreparedStatement claim = c.prepareStatement("WITH p AS MATERIALIZED (SELECT key FROM"
            + " floor_messages WHERE state = 0 AND visible_at <= 1"
            + " ORDER BY visible_at, key LIMIT 100 FOR UPDATE SKIP LOCKED)"
            + " UPDATE floor_messages m SET state = 1 FROM p"
            + " WHERE m.key = p.key RETURNING m.key, m.body");
        PreparedStatement delete = c.prepareStatement(
            "DELETE FROM floor_messages WHERE key = ANY(?::int8[])")) {
      c.setAutoCommit(false);
      Long[] keys = new Long[100];
      while (!stop.getAsBoolean()) {
        insert.setArray(1, c.createArrayOf("bytea", bodies));
        insert.executeUpdate();
        c.commit();
        int n = 0;
        try (ResultSet rs = claim.executeQuery()) {
          while (rs.next()) {
            keys[n++] = rs.getLong(1);
            rs.getBytes(2);
          }
        }
        c.commit();
        Long[] claimed = java.util.Arrays.copyOf(keys, n);
        delete.setArray(1, c.createArrayOf("int8", claimed));
        delete.executeUpdate();
        c.commit();
        messages.addAndGet(n);
      }
    }
  }
}

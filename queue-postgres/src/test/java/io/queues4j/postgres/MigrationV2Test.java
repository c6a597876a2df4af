package io.queues4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.QueueContentType;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.StoredMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A schema at version 1 (as a queues4j release before FIFO queues left it, with a message in
 * it) is brought to version 2 when a store opens it: the message survives and is claimable, and
 * FIFO queues work.
 */
class MigrationV2Test {
  private static final long T0 = 1_767_225_600_000L;

  private static String script(String name) throws IOException {
    try (InputStream in = Objects.requireNonNull(
        Migrations.class.getResourceAsStream("migration/" + name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Creates a schema as version 1 of the store would, with one waiting message in "jobs". */
  private static void createVersion1(DataSource db, String schema)
      throws SQLException, IOException {
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
      st.execute("CREATE TABLE " + schema + ".schema_version (version integer PRIMARY KEY,"
          + " script text NOT NULL, installed_at timestamptz NOT NULL DEFAULT now())");
      st.execute("SET search_path TO " + schema);
      st.execute(script("V1__queues4j.sql"));
      st.execute("INSERT INTO schema_version (version, script) VALUES (1, 'V1__queues4j.sql')");
      st.execute("INSERT INTO queues (name) VALUES ('jobs')");
      st.execute("INSERT INTO messages (key, queue_id, state, visible_at, position, attempts,"
          + " id_high, id_low, sent_at, content_type, size, body) SELECT nextval('message_keys'),"
          + " id, 0, " + T0 + ", 1, 0, 7, 8, " + T0 + ", 1, 3, 'old'::bytea FROM queues");
      st.execute("INSERT INTO queue_stats (queue_id, slot, messages, bytes) SELECT id, 64, 1, 3"
          + " FROM queues");
      st.execute("RESET search_path");
    }
  }

  private static List<Integer> versions(DataSource db, String schema) throws SQLException {
    List<Integer> versions = new ArrayList<>();
    try (Connection c = db.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version FROM " + schema
            + ".schema_version ORDER BY version")) {
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
    }
    return versions;
  }

  @Test
  void aVersion1SchemaIsMigratedOnOpenAndKeepsItsMessages() throws Exception {
    DataSource db = TestDatabase.dataSource();
    String schema = TestDatabase.freshSchema();
    createVersion1(db, schema);
    assertThat(versions(db, schema)).containsExactly(1);
    try (PostgresStore store = PostgresStore.builder(db).schema(schema).build()) {
      assertThat(versions(db, schema)).containsExactly(1, 2);
      QueueStore jobs = store.queue("jobs");
      assertThat(jobs.metrics().backlogCount()).isEqualTo(1);
      ClaimResult old = jobs.claim(10, T0, T0 + 60_000).toCompletableFuture().join();
      assertThat(old.claims()).hasSize(1);
      StoredMessage m = old.claims().get(0).message();
      assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("old");
      assertThat(m.groupId()).as("a standard message has no group").isNull();

      QueueStore fifo = store.queue("jobs.fifo");
      assertThat(fifo.supportsFifo()).isTrue();
      StoredMessage a = StoredMessage.of(1, 1, T0, new byte[] {1}, QueueContentType.BYTES, T0, 0,
          "g", "k");
      StoredMessage dup = StoredMessage.of(1, 2, T0, new byte[] {2}, QueueContentType.BYTES, T0,
          0, "g", "k");
      assertThat(fifo.addDeduplicated(List.of(a), T0, 300_000).toCompletableFuture().join())
          .containsExactly(a.id());
      assertThat(fifo.addDeduplicated(List.of(dup), T0, 300_000).toCompletableFuture().join())
          .containsExactly(a.id());
      ClaimResult claimed = fifo.claimGroup(10, T0, T0 + 60_000).toCompletableFuture().join();
      assertThat(claimed.claims()).extracting(c -> c.message().id()).containsExactly(a.id());
      assertThat(claimed.claims().get(0).message().groupId()).isEqualTo("g");
    }
    try (PostgresStore again = PostgresStore.builder(db).schema(schema).build()) {
      assertThat(versions(db, schema)).as("applied once").containsExactly(1, 2);
      // claimed, not settled: given back when the first store closed
      assertThat(again.queue("jobs.fifo").metrics().backlogCount()).isEqualTo(1);
    }
  }
}

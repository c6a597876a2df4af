package io.queues4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.FifoQueueException;
import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.MessageTooLargeException;
import io.queues4j.QueueNotFoundException;
import io.queues4j.QueueSendBatchOptions;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox: messages commit or roll back with the caller's business rows. */
class OutboxTest {
  private final DataSource db = TestDatabase.dataSource();
  private final BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
  private String schema = "";
  private PostgresStore store;
  private QueueEngine engine;
  private PostgresOutbox outbox;

  @BeforeEach
  void open() throws SQLException {
    schema = TestDatabase.freshSchema();
    store = PostgresStore.builder(db).schema(schema).build();
    engine = QueueEngine.builder().store(store).build();
    engine.declareQueue("orders");
    engine.consume("orders", String.class, ConsumerSettings.builder().maxBatchSize(1)
        .maxBatchTimeout(Duration.ZERO).build(), (batch, ctx) -> {
          for (Message<String> m : batch.messages()) {
            delivered.add(m.body());
          }
        });
    outbox = PostgresOutbox.of(store, engine);
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + schema + ".orders (id integer PRIMARY KEY)");
    }
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private int orders() throws SQLException {
    try (Connection c = db.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".orders")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void insertOrder(Connection c, int id) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO " + schema + ".orders VALUES (" + id + ")");
    }
  }

  @Test
  void aCommittedSendIsDeliveredAfterTheCommitAndNotBefore() throws Exception {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      insertOrder(c, 1);
      String id = outbox.send(c, "orders", "order 1 placed");
      assertThat(id).hasSize(32);
      // a message sent and committed later overtakes the one not yet committed
      engine.<String>queue("orders").send("marker").join();
      assertThat(delivered.poll(10, TimeUnit.SECONDS)).isEqualTo("marker");
      assertThat(delivered).isEmpty();
      c.commit();
    }
    assertThat(delivered.poll(10, TimeUnit.SECONDS)).isEqualTo("order 1 placed");
    assertThat(orders()).isEqualTo(1);
  }

  @Test
  void aRolledBackSendIsNeverDelivered() throws Exception {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      insertOrder(c, 2);
      outbox.sendBatch(c, "orders",
          List.of(MessageSendRequest.of("lost a"), MessageSendRequest.of("lost b")),
          QueueSendBatchOptions.DEFAULT);
      c.rollback();
    }
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      insertOrder(c, 3);
      outbox.send(c, "orders", "order 3 placed");
      c.commit();
    }
    // sent after the rolled-back ones: had those been stored, they would have come first
    assertThat(delivered.poll(10, TimeUnit.SECONDS)).isEqualTo("order 3 placed");
    assertThat(delivered).isEmpty();
    assertThat(orders()).isEqualTo(1);
    // counted once the settlement has committed, just after the handler returned
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> engine.stats("orders").acked() == 1);
  }

  @Test
  void theOutboxChecksTheEnginesLimitsAndQueues() throws Exception {
    try (Connection c = db.getConnection()) {
      assertThatThrownBy(() -> outbox.send(c, "nope", "x"))
          .isInstanceOf(QueueNotFoundException.class);
      assertThatThrownBy(() -> outbox.send(c, "orders", "x".repeat(128_001)))
          .isInstanceOf(MessageTooLargeException.class);
    }
  }

  @Test
  void aFifoQueueIsRefusedWithATypedErrorAndNothingIsWritten() throws Exception {
    engine.declareQueue("payments.fifo");
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      assertThatThrownBy(() -> outbox.send(c, "payments.fifo", "x"))
          .isInstanceOf(FifoQueueException.class)
          .hasMessageContaining("payments.fifo")
          .hasMessageContaining("outbox does not send to FIFO queues");
      c.commit();
    }
    try (Connection c = db.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".messages")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void theQueuesMetricsCountOutboxMessagesAfterARefresh() throws Exception {
    engine.declareQueue("audit"); // no consumer: the messages stay
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      outbox.send(c, "audit", "abc");
      outbox.send(c, "audit", "de");
      c.commit();
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> engine.stats("audit").metrics().backlogCount() == 2);
    assertThat(engine.stats("audit").metrics().backlogBytes()).isEqualTo(9); // JSON strings
  }
}

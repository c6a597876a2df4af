package io.queues4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import io.queues4j.sqlite.SqliteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.sqlite.JDBC;

/**
 * The systems under test of the SQLite benchmarks: the engine on a {@link SqliteStore}, and the
 * floor, raw JDBC on the same kind of file with the same durability doing the minimum a durable
 * queue must: a producer inserts the encoded bodies of a batch in one transaction, a consumer
 * thread claims up to {@code maxBatchSize} of them in one transaction ({@code UPDATE ... RETURNING}
 * the bodies), decodes them, and deletes them in a third. One connection, shared under a lock, as
 * the store's single writer is.
 */
final class SqlitePipelines {
  private SqlitePipelines() {}

  /**
   * A pipeline whose producers wait for room in the window by parking on a semaphore, not by
   * yielding in a loop: with 4 or 64 producer threads on 2 cores, spinning producers would take
   * the CPU from the store's writer and the consumer, which is what they wait for.
   */
  abstract static class Windowed extends Pipeline {
    private final Semaphore window = new Semaphore(Fixtures.WINDOW);

    /** Takes room for {@code messages} in the window, waiting for the consumer if needed. */
    void acquire(int messages) {
      window.acquireUninterruptibly(messages);
      sent.addAndGet(messages);
    }

    /** The consumer finished {@code messages}: counts them and gives their room back. */
    void handled(int messages) {
      handled.addAndGet(messages);
      window.release(messages);
    }
  }

  static Windowed create(String impl, SqliteStore.Durability durability, int maxBatchSize) {
    Path dir = tempDir();
    return switch (impl) {
      case "engine" -> new OnSqlite(dir, durability, maxBatchSize);
      case "baseline" -> new Floor(dir, durability, maxBatchSize);
      case "ceiling" -> new SqliteCeiling(dir, durability);
      default -> throw new IllegalArgumentException(
          "impl must be engine, baseline or ceiling but was " + impl);
    };
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("queues4j-sqlite-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Encodes a batch's bodies as JSON, as the engine does. */
  static byte[][] encode(ObjectWriter writer, List<Order> bodies) {
    byte[][] encoded = new byte[bodies.size()][];
    for (int i = 0; i < encoded.length; i++) {
      try {
        encoded[i] = writer.writeValueAsBytes(bodies.get(i));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return encoded;
  }

  /**
   * Inserts encoded bodies with keys from {@code nextKey} on, inside the caller's transaction,
   * through a statement whose parameters are key, id_high, id_low, timestamp, body, visible_at.
   *
   * @return the next key
   */
  private static long insert(PreparedStatement insert, byte[][] encoded, long nextKey, long now)
      throws SQLException {
    long key = nextKey;
    for (byte[] body : encoded) {
      insert.setLong(1, key);
      insert.setLong(2, 7);
      insert.setLong(3, key);
      insert.setLong(4, now);
      insert.setBytes(5, body);
      insert.setLong(6, now);
      insert.addBatch();
      key++;
    }
    insert.executeBatch();
    return key;
  }

  /** Sends {@code count} messages in batches of 100 and waits until all are handled. */
  static void warmUp(Windowed p, int count) {
    long target = p.handled.get() + count;
    List<Order> batch = new ArrayList<>(100);
    for (int i = 0; i < count; i++) {
      batch.add(Order.of(i, 0));
      if (batch.size() == 100 || i == count - 1) {
        p.acquire(batch.size());
        p.sendBatch(batch);
        batch.clear();
      }
    }
    Fixtures.awaitAtLeast(p.handled::get, target, Duration.ofMinutes(2));
  }

  /** The engine on a SQLite store: {@code send}/{@code sendBatch}, a handler that decodes. */
  static final class OnSqlite extends Windowed {
    private final Path dir;
    private final QueueEngine engine;
    private final Queue<Order> queue;

    OnSqlite(Path dir, SqliteStore.Durability durability, int maxBatchSize) {
      this.dir = dir;
      engine = QueueEngine.builder().objectMapper(Fixtures.MAPPER)
          .store(SqliteStore.builder(dir.resolve("queues.db")).durability(durability).open())
          .build();
      engine.declareQueue("orders");
      engine.consume("orders", Order.class, ConsumerSettings.builder()
              .maxBatchSize(maxBatchSize).maxBatchTimeout(Duration.ZERO).maxConcurrency(1).build(),
          (batch, ctx) -> {
            List<Message<Order>> messages = batch.messages();
            long sum = 0;
            for (Message<Order> message : messages) {
              sum += message.body().quantity();
            }
            checksum += sum;
            handled(messages.size());
          });
      queue = engine.queue("orders");
    }

    @Override
    Object send(Order body) {
      return queue.send(body).join();
    }

    @Override
    Object sendBatch(List<Order> bodies) {
      List<MessageSendRequest<Order>> requests = new ArrayList<>(bodies.size());
      for (Order body : bodies) {
        requests.add(MessageSendRequest.of(body));
      }
      return queue.sendBatch(requests).join();
    }

    @Override
    public void close() {
      engine.shutdown(Duration.ofSeconds(10));
      delete(dir);
    }
  }

  /**
   * The floor. {@code send} inserts one message in its own transaction: the naive durable send,
   * what group commit saves.
   */
  static final class Floor extends Windowed {
    private final Path dir;
    private final ObjectWriter writer = Fixtures.MAPPER.writer();
    private final ObjectReader reader = Fixtures.MAPPER.readerFor(Order.class);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition inserted = lock.newCondition();
    private final Connection connection;
    private final Statement control;
    private final PreparedStatement insert;
    private final PreparedStatement claim;
    private final PreparedStatement delete;
    private final Thread consumer;
    private final int maxBatchSize;
    private long nextKey = 1;
    private long nextLease = 1;
    private volatile boolean closed;

    Floor(Path dir, SqliteStore.Durability durability, int maxBatchSize) {
      this.dir = dir;
      this.maxBatchSize = maxBatchSize;
      try {
        connection = JDBC.createConnection(JDBC.PREFIX + dir.resolve("floor.db"),
            new java.util.Properties());
        control = connection.createStatement();
        control.executeQuery("PRAGMA journal_mode = WAL").close();
        control.execute("PRAGMA synchronous = " + durability);
        control.execute("CREATE TABLE messages (key INTEGER PRIMARY KEY, queue INTEGER NOT NULL,"
            + " id_high INTEGER NOT NULL, id_low INTEGER NOT NULL, timestamp INTEGER NOT NULL,"
            + " body BLOB NOT NULL, content_type INTEGER NOT NULL, visible_at INTEGER NOT NULL,"
            + " attempts INTEGER NOT NULL, state INTEGER NOT NULL, lease INTEGER NOT NULL)");
        control.execute("CREATE INDEX messages_claim ON messages (queue, state, visible_at, key)");
        control.execute("CREATE INDEX messages_sent ON messages (queue, timestamp)");
        insert = connection.prepareStatement("INSERT INTO messages (key, queue, id_high, id_low,"
            + " timestamp, body, content_type, visible_at, attempts, state, lease)"
            + " VALUES (?, 1, ?, ?, ?, ?, 0, ?, 0, 0, 0)");
        claim = connection.prepareStatement("UPDATE messages SET state = 1,"
            + " attempts = attempts + 1, lease = ? WHERE key IN (SELECT key FROM messages"
            + " WHERE queue = 1 AND state = 0 AND visible_at <= ? ORDER BY visible_at, key"
            + " LIMIT ?) RETURNING key, body");
        delete = connection.prepareStatement(
            "DELETE FROM messages WHERE key = ? AND state = 1 AND lease = ?");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      consumer = new Thread(this::consume, "floor-consumer");
      consumer.setDaemon(true);
      consumer.start();
    }

    @Override
    Object send(Order body) {
      return sendBatch(List.of(body));
    }

    @Override
    Object sendBatch(List<Order> bodies) {
      byte[][] encoded = encode(writer, bodies);
      long now = System.currentTimeMillis();
      lock.lock();
      try {
        control.execute("BEGIN IMMEDIATE");
        nextKey = insert(insert, encoded, nextKey, now);
        control.execute("COMMIT");
        inserted.signal();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      } finally {
        lock.unlock();
      }
      return encoded;
    }

    private void consume() {
      long[] keys = new long[maxBatchSize];
      List<byte[]> bodies = new ArrayList<>(maxBatchSize);
      try {
        while (!closed) {
          long lease;
          lock.lock();
          try {
            lease = nextLease++;
            control.execute("BEGIN IMMEDIATE");
            claim.setLong(1, lease);
            claim.setLong(2, System.currentTimeMillis());
            claim.setInt(3, maxBatchSize);
            try (ResultSet rs = claim.executeQuery()) {
              while (rs.next()) {
                keys[bodies.size()] = rs.getLong(1);
                bodies.add(rs.getBytes(2));
              }
            }
            control.execute("COMMIT");
            if (bodies.isEmpty()) {
              inserted.await(100, TimeUnit.MILLISECONDS);
              continue;
            }
          } finally {
            lock.unlock();
          }
          long sum = 0;
          for (byte[] body : bodies) {
            sum += reader.<Order>readValue(body).quantity();
          }
          lock.lock();
          try {
            control.execute("BEGIN IMMEDIATE");
            for (int i = 0; i < bodies.size(); i++) {
              delete.setLong(1, keys[i]);
              delete.setLong(2, lease);
              delete.addBatch();
            }
            delete.executeBatch();
            control.execute("COMMIT");
          } finally {
            lock.unlock();
          }
          checksum += sum;
          handled(bodies.size());
          bodies.clear();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (SQLException | IOException e) {
        if (!closed) {
          throw new IllegalStateException(e);
        }
      }
    }

    @Override
    public void close() {
      closed = true;
      try {
        consumer.join(10_000);
        connection.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      delete(dir);
    }
  }
}

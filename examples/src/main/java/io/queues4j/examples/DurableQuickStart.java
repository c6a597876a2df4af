package io.queues4j.examples;

import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import io.queues4j.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Durable queues: the quickstart's engine with its messages in a SQLite file. One engine sends and
 * closes; a second engine, as a restarted process would, opens the same file and receives what
 * the first one left. The README quotes the regions between the markers.
 *
 * <p>Run it with {@code java -cp examples/target/queues4j-demo.jar
 * io.queues4j.examples.DurableQuickStart queues.db}.
 */
public final class DurableQuickStart {
  private DurableQuickStart() {}

  /**
   * Sends in one engine, receives in the next, and prints what was received.
   *
   * @param args the database file (default {@code queues.db})
   * @throws InterruptedException if interrupted while waiting for the consumer
   */
  public static void main(String[] args) throws InterruptedException {
    System.out.println(run(Path.of(args.length > 0 ? args[0] : "queues.db")));
  }

  /**
   * Sends two greetings in one engine, then receives them in another on the same file.
   *
   * @param file the database file; its directory must exist
   * @return the greetings the second engine received
   * @throws InterruptedException if interrupted while waiting for the consumer
   */
  static List<String> run(Path file) throws InterruptedException {
    // @start region=durable
    try (QueueEngine engine = QueueEngine.builder().store(SqliteStore.open(file)).build()) {
      engine.declareQueue("greetings");
      engine.<String>queue("greetings").send("hello").join(); // completes once on disk
      engine.<String>queue("greetings").send("again").join();
    } // closing the engine closes the store; the messages stay in the file

    // later, in a new process: the same file, the same queue
    List<String> received = new CopyOnWriteArrayList<>();
    CountDownLatch both = new CountDownLatch(2);
    try (QueueEngine engine = QueueEngine.builder().store(SqliteStore.open(file)).build()) {
      engine.declareQueue("greetings");
      engine.consume("greetings", String.class, ConsumerSettings.defaults(), (batch, ctx) ->
          batch.messages().forEach(m -> {
            received.add(m.body());
            both.countDown();
          }));
      both.await(30, TimeUnit.SECONDS);
    }
    // @end region=durable
    return received;
  }

  /**
   * The same store with its settings spelled out.
   *
   * @param file the database file
   * @return an engine on it
   */
  static QueueEngine configured(Path file) {
    // @start region=settings
    SqliteStore store = SqliteStore.builder(file)
        .durability(SqliteStore.Durability.NORMAL) // survives a crash of the process, not of the OS
        .maxDatabaseSize(10L * 1024 * 1024 * 1024) // beyond 10 GB sends fail, as on a full disk
        .open();
    return QueueEngine.builder().store(store).build();
    // @end region=settings
  }
}

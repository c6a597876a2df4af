package io.queues4j.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import io.queues4j.core.QueueEvent;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One process of {@link MultiProcessTest}: an engine on the shared schema that sends its share of
 * the workload and consumes the shared queues, writing a journal line for every resolved send,
 * every delivery (start and end), every settled outcome (from the engine's events, emitted only
 * once the store applied them) and every dead letter it consumed. It stops when its standard
 * input closes; a "hang" process never finishes a handler, so that it dies holding its claims.
 *
 * <p>Arguments: JDBC URL, schema, process name, journal file, sends, "hang" or "work".
 */
public final class WorkloadChild {
  private static OutputStream journal = OutputStream.nullOutputStream();

  private WorkloadChild() {}

  /** Appends a line and flushes it to the file at once (the process may be killed any time). */
  static synchronized void log(String line) {
    try {
      journal.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      journal.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs the process.
   *
   * @param args see the class description
   * @throws Exception if it fails
   */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String schema = args[1];
    String name = args[2];
    journal = new FileOutputStream(args[3], true);
    int sends = Integer.parseInt(args[4]);
    boolean hang = args[5].equals("hang");
    CountDownLatch never = new CountDownLatch(1);
    try (HikariDataSource pool = TestDatabase.pool(url, 8);
        QueueEngine engine = QueueEngine.builder()
            .store(PostgresStore.builder(pool).schema(schema).build())
            .listener(event -> {
              if (event instanceof QueueEvent.Sent sent && sent.queue().equals("work")) {
                log("SENT " + sent.messageId() + " " + name);
              } else if (event instanceof QueueEvent.Acked a) {
                log("ACKED " + a.queue() + " " + a.messageId() + " " + name);
              } else if (event instanceof QueueEvent.DeadLettered d) {
                log("DEADLETTERED " + d.messageId() + " " + name);
              }
            })
            .shutdownGracePeriod(Duration.ofSeconds(5))
            .build()) {
      engine.declareQueue("work");
      engine.declareQueue("work-dlq");
      ConsumerSettings settings = ConsumerSettings.builder().maxBatchSize(10)
          .maxBatchTimeout(Duration.ofMillis(20)).maxRetries(2).deadLetterQueue("work-dlq")
          .maxConcurrency(2).handlerTimeout(Duration.ofSeconds(3)).build();
      engine.consume("work", String.class, settings, (batch, ctx) -> {
        boolean poison = false;
        for (Message<String> m : batch.messages()) {
          log("D " + m.id() + " " + name + " " + System.currentTimeMillis() + " " + m.attempts()
              + " " + m.body());
        }
        if (hang) {
          never.await(); // dies holding the claims
        }
        for (Message<String> m : batch.messages()) {
          if (m.body().startsWith("poison")) {
            poison = true;
          } else if (m.attempts() == 1 && Math.floorMod(m.body().hashCode(), 5) == 0) {
            m.retry();
          } else {
            m.ack();
          }
        }
        for (Message<String> m : batch.messages()) {
          log("E " + m.id() + " " + name + " " + System.currentTimeMillis());
        }
        if (poison) {
          throw new IllegalStateException("poison in the batch"); // the unmarked ones retry
        }
      });
      // the victim may claim dead letters too before it dies: their lease (batch timeout +
      // handler timeout + 60 s) must end within the test's wait, as those of "work" do
      engine.consume("work-dlq", String.class, ConsumerSettings.builder().maxBatchSize(10)
          .maxBatchTimeout(Duration.ofMillis(20)).handlerTimeout(Duration.ofSeconds(3)).build(),
          (batch, ctx) -> {
            for (Message<String> m : batch.messages()) {
              log("DLQ " + m.id() + " " + name);
            }
          });
      Queue<String> work = engine.queue("work");
      for (int i = 0; i < sends; i += 10) {
        List<MessageSendRequest<String>> batch = new ArrayList<>();
        for (int j = i; j < i + 10; j++) {
          batch.add(MessageSendRequest.of((j % 97 == 13 ? "poison-" : "job-") + name + "-" + j));
        }
        work.sendBatch(batch).join(); // its Sent events (with the ids) are journaled before this
        log("RESOLVED " + name + " " + i);
      }
      log("READY " + name);
      while (System.in.read() >= 0) {
        // runs until the test closes our standard input
      }
    }
    log("STOPPED " + name);
    journal.close();
  }
}

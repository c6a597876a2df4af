package io.queues4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.queues4j.Message;
import io.queues4j.Queue;
import io.queues4j.QueueStorageException;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import io.queues4j.spi.StoreException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The database goes away and comes back (its own server, stopped and restarted on the same data
 * directory and port): sends fail with a typed error meanwhile and store nothing, and the
 * consumer resumes by itself.
 */
class DatabaseOutageTest {

  @Test
  void sendsFailWhileTheDatabaseIsDownAndConsumersResumeWhenItIsBack() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path data = new File(TestDatabase.target(), "pg-outage-" + ProcessHandle.current().pid())
        .toPath();
    EmbeddedPostgres server = TestDatabase.start(data, port);
    Set<Integer> delivered = ConcurrentHashMap.newKeySet();
    try (HikariDataSource pool = TestDatabase.pool(server.getJdbcUrl("postgres", "postgres"), 8);
        QueueEngine engine = QueueEngine.builder()
            .store(PostgresStore.builder(pool).schema("outage").build()).build()) {
      engine.declareQueue("jobs");
      engine.consume("jobs", Integer.class, ConsumerSettings.builder().maxBatchSize(10)
          .maxBatchTimeout(Duration.ofMillis(10)).build(), (batch, ctx) -> {
            for (Message<Integer> m : batch.messages()) {
              delivered.add(m.body());
            }
          });
      Queue<Integer> jobs = engine.queue("jobs");
      for (int i = 0; i < 50; i++) {
        jobs.send(i).join();
      }
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 50);

      server.close(); // fast shutdown: every connection is cut
      CompletableFuture<?> failed = jobs.send(-1);
      assertThat(failed).failsWithin(30, TimeUnit.SECONDS).withThrowableThat()
          .havingCause().isInstanceOf(QueueStorageException.class)
          .havingCause().isInstanceOf(StoreException.class);
      assertThat(engine.stats("jobs").failedSends()).isEqualTo(1);

      server = TestDatabase.start(data, port);
      for (int i = 50; i < 100; i++) {
        sendUntilAccepted(jobs, i);
      }
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == 100);
      assertThat(delivered).doesNotContain(-1);
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> engine.stats("jobs").metrics().backlogCount() == 0);
    } finally {
      server.close();
    }
  }

  /** The pool may still hold connections of the old server: a send may fail once or twice. */
  private static void sendUntilAccepted(Queue<Integer> jobs, int body) {
    for (int attempt = 1; ; attempt++) {
      try {
        jobs.send(body).join();
        return;
      } catch (CompletionException e) {
        assertThat(e).hasCauseInstanceOf(QueueStorageException.class);
        assertThat(attempt).as("sends fail only until the pool has new connections")
            .isLessThan(5);
      }
    }
  }
}

package io.queues4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.core.QueueEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Messages per second through Cloudflare's batch push ({@code POST .../messages/batch}, 100
 * messages a request) over loopback, against the floor: a bare Jetty handler that reads and parses
 * the same request JSON and answers 200. Two backends in the same run: {@link FakeQueueBackend}
 * (the HTTP face's cost plus an in-memory append) and {@link EngineQueueBackend} over an in-memory
 * engine (what a server does: every message validated, encoded and enqueued by the engine).
 *
 * <p>Excluded from {@code mvn verify} by its JUnit tag; run it with
 *
 * <pre>
 * mvn -B -pl queue-http -am verify -Dqueues4j.bench=true -Dtest=CloudflareBatchBenchmarkTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>System properties: {@code queues4j.bench.batches} (default 3,000 measured requests, i.e.
 * 300,000 messages), {@code queues4j.bench.warmupBatches} (1,000) and {@code
 * queues4j.bench.concurrency} (16 kept-alive connections, one request in flight on each). Results
 * are printed and written to {@code target/cloudflare-batch-bench.txt}.
 */
@Tag("bench")
class CloudflareBatchBenchmarkTest {
  private static final int BATCHES = Integer.getInteger("queues4j.bench.batches", 3_000);
  private static final int WARMUP = Integer.getInteger("queues4j.bench.warmupBatches", 1_000);
  private static final int CONCURRENCY = Integer.getInteger("queues4j.bench.concurrency", 16);
  private static final int PER_BATCH = 100;
  private static final String MESSAGE =
      "{\"body\":{\"type\":\"ping\",\"createdAt\":\"2026-05-24T21:59:00.000Z\",\"user\":{\"id\":12345,"
          + "\"email\":\"ada@example.com\"},\"tags\":[\"a\",\"b\",\"c\"]}}";
  private static final String BODY =
      "{\"messages\":[" + (MESSAGE + ",").repeat(PER_BATCH - 1) + MESSAGE + "]}";

  @Test
  void batchPushOverLoopbackAgainstTheBareJettyFloor() throws Exception {
    double floor;
    Server bare = LoopbackLoad.bareJetty(200,
        "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"metadata\":{\"metrics\":"
            + "{\"backlog_bytes\":0,\"backlog_count\":0,\"oldest_message_timestamp_ms\":0}}}}");
    try {
      int port = LoopbackLoad.port(bare);
      run(port, "/", "none", WARMUP);
      floor = run(port, "/", "none", BATCHES);
    } finally {
      bare.stop();
    }

    double fake = face(new FakeQueueBackend(InstantSource.system()), null);
    double engine;
    try (QueueEngine queues = QueueEngine.builder().build()) {
      engine = face(new EngineQueueBackend(queues, InstantSource.system()), queues);
    }

    String report =
        String.format(Locale.ROOT,
            "Cloudflare batch push benchmark: %,d requests of %d messages (%,d bytes each), %d in flight,"
                + " %d cores, Java %s%n", BATCHES, PER_BATCH, BODY.length(), CONCURRENCY,
            Runtime.getRuntime().availableProcessors(), Runtime.version())
            + line("bare Jetty + JSON parse (floor)", floor, floor)
            + line("POST .../messages/batch, fake", fake, floor)
            + line("POST .../messages/batch, engine", engine, floor);
    System.out.print(report);
    Files.writeString(Path.of("target", "cloudflare-batch-bench.txt"), report);
  }

  /**
   * Measures the batch push over {@code backend}: requests per second. With an engine, checks that
   * every message reached its queue.
   */
  private static double face(QueueBackend backend, @Nullable QueueEngine engine) throws Exception {
    QueueEngine owner = engine != null ? engine : QueueEngine.builder().build();
    try (QueueHttpServer server =
        QueueHttpServer.builder(owner)
            .rateLimits(RateLimits.unlimited())
            .token(CloudflareFixture.TOKEN, CloudflareFixture.OPS)
            .cloudflareApi(CloudflareFixture.ACCOUNT, Set.of(CloudflareFixture.OPS), backend)
            .build()) {
      server.start();
      String queueId = backend.createQueue("bench", QueueBackend.QueueConfig.DEFAULTS).id();
      String path = CloudflareFixture.queues("/" + queueId + "/messages/batch");
      run(server.port(), path, CloudflareFixture.TOKEN, WARMUP);
      double rate = run(server.port(), path, CloudflareFixture.TOKEN, BATCHES);
      assertThat(backend.metrics(queueId).backlogCount())
          .isEqualTo((long) (WARMUP + BATCHES) * PER_BATCH);
      return rate;
    } finally {
      if (engine == null) {
        owner.close();
      }
    }
  }

  private static String line(String what, double requests, double floor) {
    return String.format(Locale.ROOT, "  %-34s %,10.0f req/s = %,12.0f msg/s  %.2fx floor%n",
        what, requests, requests * PER_BATCH, requests / floor);
  }

  /** Sends {@code n} batch POSTs over kept-alive connections; returns requests per second. */
  private static double run(int port, String path, String token, int n)
      throws InterruptedException {
    return LoopbackLoad.run(port, path, token, BODY, n, CONCURRENCY, 200);
  }
}

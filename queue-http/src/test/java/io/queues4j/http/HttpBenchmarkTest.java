package io.queues4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.util.RawValue;
import io.queues4j.Queue;
import io.queues4j.core.QueueEngine;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Messages per second through single W7S sends over loopback, against two references: a bare Jetty
 * handler that only reads and parses the same JSON and answers 202 (the HTTP floor: what any
 * server on this Jetty and this client can do), and in-process {@code send()} of the same
 * envelope.
 *
 * <p>Excluded from {@code mvn verify} by its JUnit tag; run it with
 *
 * <pre>
 * mvn -B -pl queue-http -am verify -Dqueues4j.bench=true
 * </pre>
 *
 * <p>System properties: {@code queues4j.bench.requests} (default 100,000 measured requests per
 * run), {@code queues4j.bench.warmup} (20,000) and {@code queues4j.bench.concurrency} (16 kept-alive
 * connections, one request in flight on each). Results are printed and written to {@code target/http-bench.txt}.
 */
@Tag("bench")
class HttpBenchmarkTest {
  private static final int REQUESTS = Integer.getInteger("queues4j.bench.requests", 100_000);
  private static final int WARMUP = Integer.getInteger("queues4j.bench.warmup", 20_000);
  private static final int CONCURRENCY = Integer.getInteger("queues4j.bench.concurrency", 16);
  private static final String TOKEN = "bench-token-0000000001";
  private static final String BODY =
      "{\"type\":\"ping\",\"createdAt\":\"2026-05-24T21:59:00.000Z\",\"user\":{\"id\":12345,"
          + "\"email\":\"ada@example.com\"},\"tags\":[\"a\",\"b\",\"c\"]}";

  @Test
  void singleSendsOverLoopbackAgainstTheBareJettyFloorAndInProcessSend() throws Exception {
    StringBuilder report = new StringBuilder();

    double floor;
    Server bare = LoopbackLoad.bareJetty(202,
        "{\"ok\":true,\"id\":\"0123456789abcdef0123456789abcdef\"}");
    try {
      URI uri = URI.create("http://127.0.0.1:" + LoopbackLoad.port(bare) + "/");
      run(uri, WARMUP);
      floor = run(uri, REQUESTS);
    } finally {
      bare.stop();
    }

    double w7s;
    try (QueueEngine engine = QueueEngine.builder().build();
        QueueHttpServer server =
            QueueHttpServer.builder(engine)
                .rateLimits(RateLimits.unlimited())
                .token(TOKEN, new Caller("acme", "producer", "production"))
                .w7sQueue(W7sQueue.builder("acme", "worker", "jobs").build())
                .build()) {
      server.start();
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/queues/acme/worker/jobs");
      run(uri, WARMUP);
      w7s = run(uri, REQUESTS);
      assertThat(engine.stats("w7s:acme/worker/production/jobs").sent()).isEqualTo((long) WARMUP + REQUESTS);
    }

    double inProcess;
    try (QueueEngine engine = QueueEngine.builder().build()) {
      engine.declareQueue("jobs");
      Queue<RawValue> queue = engine.queue("jobs");
      String envelope =
          W7sFace.envelope(Instant.now(), new Caller("acme", "producer", "production"), BODY);
      inProcess(queue, envelope, WARMUP);
      inProcess = inProcess(queue, envelope, REQUESTS);
    }

    report.append(String.format(Locale.ROOT,
        "queue-http loopback benchmark: %,d requests, %d in flight, %d cores, Java %s%n",
        REQUESTS, CONCURRENCY, Runtime.getRuntime().availableProcessors(), Runtime.version()));
    report.append(String.format(Locale.ROOT, "  bare Jetty + JSON parse (floor)  %,10.0f req/s%n", floor));
    report.append(String.format(Locale.ROOT, "  W7S send (auth, checks, engine)  %,10.0f msg/s  %.2fx floor%n", w7s, w7s / floor));
    report.append(String.format(Locale.ROOT, "  in-process send()                %,10.0f msg/s  %.1fx W7S%n", inProcess, inProcess / w7s));
    System.out.print(report);
    Files.writeString(Path.of("target", "http-bench.txt"), report);
  }

  /** Sends {@code n} W7S-shaped POSTs to {@code uri}; returns requests per second. */
  private static double run(URI uri, int n) throws InterruptedException {
    return LoopbackLoad.run(uri.getPort(), uri.getPath(), TOKEN, BODY, n, CONCURRENCY, 202);
  }

  private static double inProcess(Queue<RawValue> queue, String envelope, int n) {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      queue.send(new RawValue(envelope)).join();
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }
}

package io.queues4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queues4j.core.QueueEngine;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
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
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void batchPushOverLoopbackAgainstTheBareJettyFloor() throws Exception {
    double floor;
    Server bare = bareJetty();
    try {
      int port = ((ServerConnector) bare.getConnectors()[0]).getLocalPort();
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
  private static double run(int port, String path, String token, int n) throws Exception {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    byte[] request =
        ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + BODY)
            .getBytes(StandardCharsets.UTF_8);
    AtomicLong remaining = new AtomicLong(n);
    AtomicLong failures = new AtomicLong();
    Thread[] threads = new Thread[CONCURRENCY];
    long start = System.nanoTime();
    for (int t = 0; t < CONCURRENCY; t++) {
      threads[t] =
          new Thread(
              () -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                  socket.setTcpNoDelay(true);
                  OutputStream out = socket.getOutputStream();
                  BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
                  while (remaining.getAndDecrement() > 0) {
                    out.write(request);
                    out.flush();
                    if (readResponse(in) != 200) {
                      failures.incrementAndGet();
                    }
                  }
                } catch (IOException e) {
                  failures.incrementAndGet();
                }
              },
              "bench-client-" + t);
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.MINUTES.toMillis(10));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(failures.get()).as("requests not answered 200").isZero();
    return n / seconds;
  }

  /** Reads one response with a Content-Length body; returns its status. */
  private static int readResponse(BufferedInputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed");
      }
      head.append((char) b);
      matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
    }
    String text = head.toString();
    int status = Integer.parseInt(text.substring(9, 12));
    int at = text.toLowerCase(Locale.ROOT).indexOf("content-length:");
    int length = Integer.parseInt(text.substring(at + 15, text.indexOf('\r', at)).trim());
    in.readNBytes(length);
    return status;
  }

  /** The floor: read the body, parse it as JSON, answer 200 with a small JSON body. */
  private static Server bareJetty() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    byte[] answer =
        ("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"metadata\":{\"metrics\":"
                + "{\"backlog_bytes\":0,\"backlog_count\":0,\"oldest_message_timestamp_ms\":0}}}}")
            .getBytes(StandardCharsets.UTF_8);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) throws Exception {
            try (InputStream in = Content.Source.asInputStream(request)) {
              MAPPER.readTree(in);
            }
            response.setStatus(200);
            response.getHeaders().put("Content-Type", "application/json");
            response.write(true, ByteBuffer.wrap(answer), callback);
            return true;
          }
        });
    server.start();
    return server;
  }
}

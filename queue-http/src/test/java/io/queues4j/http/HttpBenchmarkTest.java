package io.queues4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import io.queues4j.Queue;
import io.queues4j.core.QueueEngine;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
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
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void singleSendsOverLoopbackAgainstTheBareJettyFloorAndInProcessSend() throws Exception {
    StringBuilder report = new StringBuilder();

    double floor;
    Server bare = bareJetty();
    try {
      URI uri = URI.create("http://127.0.0.1:" + ((ServerConnector) bare.getConnectors()[0]).getLocalPort() + "/");
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

  /**
   * Sends {@code n} POSTs over {@code CONCURRENCY} kept-alive connections, one blocking thread
   * each (a bare HTTP/1.1 client: the JDK HttpClient costs more CPU than the servers measured);
   * returns requests per second.
   */
  private static double run(URI uri, int n) throws Exception {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    byte[] request =
        ("POST " + uri.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
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
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
                  socket.setTcpNoDelay(true);
                  OutputStream out = socket.getOutputStream();
                  BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
                  while (remaining.getAndDecrement() > 0) {
                    out.write(request);
                    out.flush();
                    if (readResponse(in) != 202) {
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
    assertThat(failures.get()).as("requests not answered 202").isZero();
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

  private static double inProcess(Queue<RawValue> queue, String envelope, int n) {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      queue.send(new RawValue(envelope)).join();
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  /** The floor: read the body, parse it as JSON, answer 202 with a small JSON body. */
  private static Server bareJetty() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    byte[] answer = "{\"ok\":true,\"id\":\"0123456789abcdef0123456789abcdef\"}".getBytes(StandardCharsets.UTF_8);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) throws Exception {
            try (InputStream in = Content.Source.asInputStream(request)) {
              MAPPER.readTree(in);
            }
            response.setStatus(202);
            response.getHeaders().put("Content-Type", "application/json");
            response.write(true, ByteBuffer.wrap(answer), callback);
            return true;
          }
        });
    server.start();
    return server;
  }
}

package io.queues4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.queues4j.core.ShutdownReport;
import io.queues4j.http.PushSignature;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server in this JVM: start, probes, W7S push and routes, readiness through a drain. */
class QueueServerTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final String SEND = "/api/v1/queues/w7s-io/example-queue-worker/";

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final RecordingApp app = new RecordingApp();
  private @Nullable QueueServer server;

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.stop();
    }
    app.close();
  }

  private ServerPlan plan(String port, String probePort) {
    Setup.seed(dir, "wrangler.toml");
    Setup.seed(dir.resolve("app"), "w7s.json");
    Map<String, String> env = new HashMap<>();
    env.put("QUEUES4J_TOKENS", "w7s-io/example-queue-producer=" + Setup.TOKEN);
    env.put("QUEUES4J_W7S_APP", "w7s-io/example-queue-worker");
    env.put("QUEUES4J_W7S_CONSUMER_URL", app.url().toString());
    env.put("QUEUES4J_W7S_SIGNING_SECRET", SECRET);
    env.put("QUEUES4J_ROUTES", "/jobs=jobs");
    List<String> args = new ArrayList<>(List.of("--config", dir + "," + dir.resolve("app"), "--port", port,
        "--grace-period", "30", "--store", "sqlite:" + dir.resolve("data/q.db")));
    if (!probePort.isEmpty()) {
      args.addAll(List.of("--probe-port", probePort));
    }
    Setup.Read read = Setup.read(env, args.toArray(String[]::new));
    assertThat(read.problems()).isEmpty();
    return read.plan();
  }

  private QueueServer start() {
    QueueServer s = new QueueServer(plan("0", ""));
    server = s;
    s.start();
    return s;
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(QueueServer s, String path, String contentType, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .header("Authorization", "Bearer " + Setup.TOKEN).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheSeedsAndProbesAndPushesSignedBatches() throws Exception {
    QueueServer s = start();
    int probes = s.probePort();

    assertThat(get(probes, "/healthz")).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    });
    assertThat(get(probes, "/readyz").body()).isEqualTo("{\"status\":\"ready\"}");
    assertThat(get(probes, "/readyz").statusCode()).isEqualTo(200);
    assertThat(get(probes, "/other").statusCode()).isEqualTo(404);
    assertThat(get(s.port(), "/healthz").statusCode()).isEqualTo(200);
    assertThat(get(s.port(), "/readyz").statusCode()).as("the queue port authenticates all else").isEqualTo(401);

    for (int i = 0; i < 10; i++) {
      assertThat(post(s, SEND + "jobs", "application/json", "{\"n\":" + i + "}").statusCode()).isEqualTo(202);
    }
    assertThat(post(s, "/jobs", "text/plain", "a job").statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> app.received("jobs") == 10);

    RecordingApp.Push push = app.pushes.get(0);
    assertThat(push.path()).isEqualTo("/_w7s/queues/jobs");
    assertThat(push.body().get("queueName").asText()).isEqualTo("w7s-production-w7s-io-example-queue-worker-queue-jobs");
    assertThat(PushSignature.verify(SECRET.getBytes(StandardCharsets.UTF_8), push.signature(), push.raw(),
        Instant.now(), Duration.ofMinutes(5))).isTrue();

    ShutdownReport report = s.stop();
    assertThat(report.undeliveredByQueue()).isEqualTo(Map.of("jobs", 1L));
    assertThat(report.abandonedInvocations()).isZero();
    assertThat(s.state()).isEqualTo(QueueServer.State.STOPPED);
    assertThatThrownBy(() -> get(probes, "/healthz")).isInstanceOf(ConnectException.class);
  }

  @Test
  void notReadyWhileDrainingAndInFlightBatchesFinish() throws Exception {
    app.holding("/internal/queues/emails");
    QueueServer s = start();
    int probes = s.probePort();
    for (int i = 0; i < 10; i++) {
      assertThat(post(s, SEND + "emails", "application/json", "{}").statusCode()).isEqualTo(202);
    }
    assertThat(app.held.await(20, TimeUnit.SECONDS)).isTrue();
    int port = s.port();

    // stop() blocks for the drain: on a thread of its own, as the shutdown hook runs it (the
    // common pool may have a single worker on a small machine, which the push client also uses)
    CompletableFuture<ShutdownReport> stopping = new CompletableFuture<>();
    Thread stopper = new Thread(() -> stopping.complete(s.stop()), "test-stop");
    stopper.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> get(probes, "/readyz").body().equals("{\"status\":\"draining\"}"));
    assertThat(get(probes, "/readyz").statusCode()).isEqualTo(503);
    assertThat(get(probes, "/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + SEND + "emails"))
        .header("Authorization", "Bearer " + Setup.TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(stopping).isNotDone();

    app.release.countDown();
    ShutdownReport report = stopping.get(20, TimeUnit.SECONDS);

    assertThat(report.clean()).as("%s", report).isTrue();
    assertThat(app.received("emails")).isEqualTo(10);
  }

  @Test
  void aPortInUseFailsTheStartAndReleasesTheProbePort() throws Exception {
    int probe;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      probe = free.getLocalPort();
    }
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      QueueServer s = new QueueServer(plan(String.valueOf(taken.getLocalPort()), String.valueOf(probe)));
      server = s;

      assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("the HTTP server could not start");
      assertThat(s.state()).isEqualTo(QueueServer.State.STOPPED);
    }
    try (ServerSocket again = new ServerSocket(probe, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(probe);
    }
  }

  @Test
  void aStoreThatCannotBeOpenedFailsTheStartAndTheServerStartsOnceItIsFree() throws Exception {
    ServerPlan plan = plan("0", "0");
    java.nio.file.Files.createDirectories(dir.resolve("data"));
    try (io.queues4j.sqlite.SqliteStore holder = io.queues4j.sqlite.SqliteStore.open(dir.resolve("data/q.db"))) {
      QueueServer s = new QueueServer(plan);
      server = s;

      assertThatThrownBy(s::start).isInstanceOf(io.queues4j.spi.StoreException.class)
          .hasMessageContaining(dir.resolve("data/q.db").toString());
      assertThat(s.state()).isEqualTo(QueueServer.State.STOPPED);
      assertThat(holder.storedQueues()).isEmpty();
    }
    QueueServer again = new QueueServer(plan);
    server = again;
    again.start();
    assertThat(again.state()).isEqualTo(QueueServer.State.READY);
  }

  @Test
  void stoppingAServerThatNeverStartedIsHarmless() {
    QueueServer s = new QueueServer(plan("0", ""));
    server = s;

    ShutdownReport first = s.stop();

    assertThat(first.clean()).isTrue();
    assertThat(s.stop()).isSameAs(first);
    assertThat(s.state()).isEqualTo(QueueServer.State.STOPPED);
  }
}

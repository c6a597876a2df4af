package io.queues4j.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.queues4j.core.QueueEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A started server whose Cloudflare face runs over a backend made by the test, on an ephemeral
 * loopback port, with a {@link MutableClock}; and a small JSON client for it. Close it to stop
 * everything.
 */
final class CloudflareFixture implements AutoCloseable {
  static final String ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
  static final String OTHER_ACCOUNT = "99999999999999999999999999999999";
  /** A token of a caller allowed on the Cloudflare API. */
  static final String TOKEN = "cf-api-token-0000000001";
  /** A token of a caller the server knows but does not allow on the Cloudflare API. */
  static final String W7S_TOKEN = "w7s-only-token-00000001";
  static final Caller OPS = new Caller("acme", "ops", "production");
  /** A second allowed caller, for rate-limit tests. */
  static final String BURST_TOKEN = "cf-burst-token-00000001";
  static final Caller BURST = new Caller("acme", "burst", "production");
  static final Instant START = Instant.parse("2026-05-24T21:59:00Z");

  final MutableClock clock = new MutableClock(START);
  final QueueBackend backend;
  final QueueEngine engine;
  final QueueHttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  CloudflareFixture(Function<MutableClock, QueueBackend> backends) {
    this(backends, UnaryOperator.identity());
  }

  CloudflareFixture(
      Function<MutableClock, QueueBackend> backends, UnaryOperator<QueueHttpServer.Builder> customize) {
    backend = backends.apply(clock);
    engine = QueueEngine.builder().build();
    QueueHttpServer.Builder b =
        QueueHttpServer.builder(engine)
            .clock(clock)
            .token(TOKEN, OPS)
            .token(W7S_TOKEN, new Caller("acme", "producer", "production"))
            .token(BURST_TOKEN, BURST)
            .cloudflareApi(ACCOUNT, Set.of(OPS, BURST), backend);
    server = customize.apply(b).build();
    server.start();
  }

  int port() {
    return server.port();
  }

  String base() {
    return "http://127.0.0.1:" + port() + "/client/v4";
  }

  /** The path of an account's queues, or of one of its resources. */
  static String queues(String tail) {
    return "/client/v4/accounts/" + ACCOUNT + "/queues" + tail;
  }

  /** A response: status and parsed JSON body. */
  record Reply(int status, JsonNode json, String text) {}

  Reply call(String method, String path, String body) throws IOException, InterruptedException {
    return call(method, path, body, TOKEN);
  }

  Reply call(String method, String path, String body, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + token);
    if (body.isEmpty() && (method.equals("GET") || method.equals("DELETE"))) {
      r.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = RawHttp.MAPPER.readTree(response.body().isEmpty() ? "null" : response.body());
    return new Reply(response.statusCode(), json, response.body());
  }

  /** Creates a queue over HTTP and returns its id. */
  String createQueue(String name) throws IOException, InterruptedException {
    Reply r = call("POST", queues(""), "{\"queue_name\":\"" + name + "\"}");
    if (r.status() != 200) {
      throw new AssertionError("creating queue " + name + " failed: " + r.text());
    }
    return r.json().path("result").path("queue_id").asText();
  }

  /** Adds an http_pull consumer over HTTP and returns its id. */
  String addPullConsumer(String queueId, String settings) throws IOException, InterruptedException {
    Reply r =
        call("POST", queues("/" + queueId + "/consumers"), "{\"type\":\"http_pull\",\"settings\":" + settings + "}");
    if (r.status() != 200) {
      throw new AssertionError("adding a consumer failed: " + r.text());
    }
    return r.json().path("result").path("consumer_id").asText();
  }

  /** Every queue's settings, consumers and backlog, as seen by the backend: any change shows. */
  String state() throws QueueBackendException {
    StringBuilder sb = new StringBuilder();
    for (QueueBackend.QueueInfo q : backend.listQueues()) {
      sb.append(q).append(' ').append(backend.metrics(q.id())).append(' ')
          .append(backend.purgeStatus(q.id())).append('\n');
    }
    return sb.toString();
  }

  @Override
  public void close() {
    server.close();
    engine.close();
  }
}

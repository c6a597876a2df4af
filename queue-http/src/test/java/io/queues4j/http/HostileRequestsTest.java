package io.queues4j.http;

import static io.queues4j.http.Fixture.ACME;
import static io.queues4j.http.Fixture.ACME_PREVIEW;
import static io.queues4j.http.Fixture.BURST;
import static io.queues4j.http.Fixture.JOBS;
import static io.queues4j.http.Fixture.OTHER;
import static io.queues4j.http.Fixture.PARTNER_OTHER;
import static io.queues4j.http.Fixture.SHARED;
import static io.queues4j.http.RawHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad and hostile requests over real loopback HTTP: each gets exactly its status, a JSON error
 * envelope without internals, and leaves every queue as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsTest {
  private static final String JSON = "Content-Type: application/json";

  @SuppressWarnings("ArrayRecordComponent") // a test value, never compared
  record Case(String name, byte[] request, int status) {
    @Override
    public String toString() {
      return name + " -> " + status;
    }
  }

  private Fixture fixture;

  @BeforeAll
  void start() throws Exception {
    fixture = new Fixture(b -> b.rateLimits(RateLimits.builder().perRepo(RateLimit.perMinute(2)).build()));
    for (int i = 0; i < 2; i++) { // use up the burst repo's allowance
      assertThat(RawHttp.send(fixture.port(), post(JOBS, "{}", auth(BURST), JSON)).status())
          .isEqualTo(202);
    }
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  private static String auth(String token) {
    return "Authorization: Bearer " + token;
  }

  private static Case c(String name, String request, int status) {
    return new Case(name, request.getBytes(StandardCharsets.ISO_8859_1), status);
  }

  private static Case w7s(String name, String body, int status, String... headers) {
    return c(name, post(JOBS, body, headers), status);
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    // Authentication: 401 before anything else.
    cases.add(w7s("no Authorization", "{}", 401, JSON));
    cases.add(w7s("Basic scheme", "{}", 401, "Authorization: Basic YWNtZTpwdw==", JSON));
    cases.add(w7s("unknown token", "{}", 401, auth("not-a-configured-token-000"), JSON));
    cases.add(w7s("empty bearer", "{}", 401, "Authorization: Bearer ", JSON));
    cases.add(w7s("token with bad characters", "{}", 401, auth("acme producer!"), JSON));
    cases.add(w7s("token with a different case", "{}", 401, auth(ACME.toUpperCase(java.util.Locale.ROOT)), JSON));
    cases.add(w7s("token prefix", "{}", 401, auth(ACME.substring(0, ACME.length() - 1)), JSON));
    cases.add(w7s("two Authorization headers", "{}", 401, auth(ACME), auth(ACME), JSON));
    cases.add(c("unknown path, no token", post("/admin", "{}", JSON), 401));
    cases.add(c("healthz POST, no token", post("/healthz", "", JSON), 401));
    // Authorization: another owner, not allowlisted, other environment.
    cases.add(w7s("token of another owner", "{}", 403, auth(OTHER), JSON));
    cases.add(c("same partner owner, repo not allowlisted", post(SHARED, "{}", auth(PARTNER_OTHER), JSON), 403));
    cases.add(w7s("caller in another environment", "{}", 404, auth(ACME_PREVIEW), JSON));
    // Routing.
    cases.add(c("unknown queue", post("/api/v1/queues/acme/worker/nope", "{}", auth(ACME), JSON), 404));
    cases.add(c("unknown repo", post("/api/v1/queues/acme/nope/jobs", "{}", auth(ACME), JSON), 404));
    cases.add(c("invalid owner", post("/api/v1/queues/-acme-/worker/jobs", "{}", auth(ACME), JSON), 404));
    cases.add(c("unknown path", post("/api/v2/queues", "{}", auth(ACME), JSON), 404));
    cases.add(c("missing segment", post("/api/v1/queues/acme/worker", "{}", auth(ACME), JSON), 404));
    cases.add(c("trailing slash", post(JOBS + "/", "{}", auth(ACME), JSON), 404));
    cases.add(c("GET on send route", "GET " + JOBS + " HTTP/1.1\r\nHost: x\r\n" + auth(ACME) + "\r\nConnection: close\r\n\r\n", 405));
    cases.add(c("PUT on send route", post(JOBS, "{}", auth(ACME), JSON).replaceFirst("POST", "PUT"), 405));
    cases.add(c("DELETE on send route", "DELETE " + JOBS + " HTTP/1.1\r\nHost: x\r\n" + auth(ACME) + "\r\nConnection: close\r\n\r\n", 405));
    // Path traversal.
    cases.add(c("dot-dot above the root", post("/../api/v1/queues/acme/worker/jobs", "{}", auth(ACME), JSON), 400));
    cases.add(c("encoded dot-dot", post("/api/v1/queues/acme/worker/%2e%2e/jobs", "{}", auth(ACME), JSON), 400));
    cases.add(c("encoded slash", post("/api/v1/queues/acme/worker%2fjobs/x", "{}", auth(ACME), JSON), 400));
    cases.add(c("dot-dot to another owner", post("/api/v1/queues/other/../acme/worker/jobs/x", "{}", auth(OTHER), JSON), 404));
    cases.add(c("backslash traversal", post("/api/v1/queues/acme/worker/..\\jobs", "{}", auth(ACME), JSON), 400));
    // Content type.
    cases.add(w7s("text/plain body", "{}", 415, auth(ACME), "Content-Type: text/plain"));
    cases.add(w7s("no Content-Type", "{}", 415, auth(ACME)));
    cases.add(w7s("JSON in latin-1", "{}", 415, auth(ACME), "Content-Type: application/json; charset=iso-8859-1"));
    cases.add(w7s("XML", "<a/>", 415, auth(ACME), "Content-Type: application/xml"));
    cases.add(w7s("form", "a=1", 415, auth(ACME), "Content-Type: application/x-www-form-urlencoded"));
    // Delay header.
    for (String delay : List.of("1.5", "-1", "86401", "abc", "", "1e3", "+5", "0x10", "99999999999")) {
      cases.add(w7s("delay '" + delay + "'", "{}", 400, auth(ACME), JSON, "x-w7s-queue-delay-seconds: " + delay));
    }
    cases.add(w7s("two delay headers", "{}", 400, auth(ACME), JSON,
        "x-w7s-queue-delay-seconds: 1", "x-w7s-queue-delay-seconds: 2"));
    // Body.
    cases.add(w7s("malformed JSON", "{\"a\":", 400, auth(ACME), JSON));
    cases.add(w7s("empty body", "", 400, auth(ACME), JSON));
    cases.add(w7s("two JSON values", "{} {}", 400, auth(ACME), JSON));
    cases.add(w7s("JSON with a comment", "{/* x */}", 400, auth(ACME), JSON));
    cases.add(w7s("single quotes", "{'a':1}", 400, auth(ACME), JSON));
    cases.add(w7s("NaN", "{\"a\":NaN}", 400, auth(ACME), JSON));
    cases.add(w7s("nested 5000 deep", "[".repeat(5000) + "]".repeat(5000), 400, auth(ACME), JSON));
    cases.add(new Case("invalid UTF-8", concat(post(JOBS, "\"xx\"", auth(ACME), JSON), new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'}, 4), 400));
    // Sizes.
    cases.add(c("Content-Length over the limit", "POST " + JOBS + " HTTP/1.1\r\nHost: x\r\n" + auth(ACME)
        + "\r\n" + JSON + "\r\nContent-Length: 1000000000\r\nConnection: close\r\n\r\n{}", 413));
    cases.add(w7s("body of 65,537 bytes", "\"" + "a".repeat(65_535) + "\"", 413, auth(ACME), JSON));
    cases.add(w7s("envelope over 64 KB, body under it", "\"" + "a".repeat(65_400) + "\"", 413, auth(ACME), JSON));
    cases.add(c("chunked body over the limit", "POST " + JOBS + " HTTP/1.1\r\nHost: x\r\n" + auth(ACME) + "\r\n" + JSON
        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks(70_000) + "0\r\n\r\n", 413));
    cases.add(c("URL of 3,000 characters", post("/api/v1/queues/acme/worker/jobs?x=" + "a".repeat(3_000), "{}", auth(ACME), JSON), 414));
    cases.add(c("request line over the header limit", post("/" + "a".repeat(9_000), "{}", auth(ACME), JSON), 414));
    cases.add(c("one header of 10 KB", post(JOBS, "{}", auth(ACME), JSON, "X-Big: " + "b".repeat(10_000)), 431));
    cases.add(c("200 small headers", post(JOBS, "{}", manyHeaders(200)), 431));
    // Malformed HTTP.
    cases.add(c("garbage request line", "GARBAGE\r\n\r\n", 400));
    cases.add(c("HTTP/1.1 without Host", "POST " + JOBS + " HTTP/1.1\r\n" + auth(ACME) + "\r\n" + JSON + "\r\nContent-Length: 2\r\n\r\n{}", 400));
    cases.add(c("bad method token", "G(T " + JOBS + " HTTP/1.1\r\nHost: x\r\n\r\n", 400));
    cases.add(c("two Content-Lengths", "POST " + JOBS + " HTTP/1.1\r\nHost: x\r\n" + auth(ACME) + "\r\n" + JSON
        + "\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{} ", 400));
    cases.add(c("Content-Length and chunked", "POST " + JOBS + " HTTP/1.1\r\nHost: x\r\n" + auth(ACME) + "\r\n" + JSON
        + "\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400));
    // Rate limit: the burst repo used its allowance in setup.
    cases.add(w7s("rate limit of the caller repo exceeded", "{}", 429, auth(BURST), JSON));
    // queue-run routes.
    cases.add(c("queue-run without token", post("/tasks", "{}", JSON), 401));
    cases.add(c("queue-run, unsupported type", post("/tasks", "<a/>", auth(ACME), "Content-Type: application/xml"), 415));
    cases.add(c("queue-run, type the route does not accept", post("/tasks/g1/json", "hi", auth(ACME), "Content-Type: text/plain"), 415));
    cases.add(c("queue-run, invalid JSON", post("/tasks", "{", auth(ACME), JSON), 422));
    cases.add(c("queue-run, empty text", post("/tasks", "", auth(ACME), "Content-Type: text/plain"), 422));
    cases.add(c("queue-run, bad percent-encoding", post("/tasks", "a=%zz", auth(ACME), "Content-Type: application/x-www-form-urlencoded"), 422));
    cases.add(c("queue-run, multipart file", post("/tasks", multipartFile(), auth(ACME), "Content-Type: multipart/form-data; boundary=XyZ"), 422));
    cases.add(c("queue-run, multipart without boundary", post("/tasks", "x", auth(ACME), "Content-Type: multipart/form-data"), 422));
    cases.add(c("queue-run, GET", "GET /tasks HTTP/1.1\r\nHost: x\r\n" + auth(ACME) + "\r\nConnection: close\r\n\r\n", 405));
    cases.add(c("queue-run, body over the limit", post("/tasks", "\"" + "a".repeat(70_000) + "\"", auth(ACME), JSON), 413));
    return cases;
  }

  @Test
  void theTableHasAtLeastFortyRows() {
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedWithItsStatusAndChangesNothing(Case c) throws Exception {
    long before = fixture.state();
    RawHttp.Response response = RawHttp.send(fixture.port(), c.request());
    assertThat(response.status()).as(response.text()).isEqualTo(c.status());
    assertThat(fixture.state()).as("queues unchanged").isEqualTo(before);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    var error = response.json().path("error");
    assertThat(error.path("code").asText()).isNotBlank();
    assertThat(error.path("message").asText()).isNotBlank();
    assertThat(response.text()).doesNotContain("Exception", "\tat ", "org.eclipse", "io.queues4j.");
    if (c.status() == 401) {
      assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }
    if (c.status() == 405) {
      assertThat(response.header("Allow")).isNotBlank();
    }
    if (c.status() == 429) {
      assertThat(Long.parseLong(response.header("Retry-After"))).isPositive();
    }
  }

  private static String chunks(int total) {
    StringBuilder sb = new StringBuilder();
    int sent = 0;
    while (sent < total) {
      int n = Math.min(4096, total - sent);
      sb.append(Integer.toHexString(n)).append("\r\n").append("a".repeat(n)).append("\r\n");
      sent += n;
    }
    return sb.toString();
  }

  private static String[] manyHeaders(int n) {
    String[] headers = new String[n + 2];
    headers[0] = auth(ACME);
    headers[1] = JSON;
    for (int i = 0; i < n; i++) {
      headers[i + 2] = "X-Filler-" + i + ": " + "f".repeat(40);
    }
    return headers;
  }

  private static String multipartFile() {
    String crlf = "\r\n";
    return "--XyZ" + crlf + "Content-Disposition: form-data; name=\"upload\"; filename=\"a.txt\""
        + crlf + "Content-Type: text/plain" + crlf + crlf + "hello" + crlf + "--XyZ--" + crlf;
  }

  /** Replaces the last {@code replace} bytes of a request with {@code tail} (same length). */
  private static byte[] concat(String request, byte[] tail, int replace) {
    byte[] head = request.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = java.util.Arrays.copyOf(head, head.length - replace + tail.length);
    System.arraycopy(tail, 0, out, head.length - replace, tail.length);
    return out;
  }
}

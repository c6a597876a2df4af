package io.queues4j.server;

import static io.queues4j.server.Setup.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.http.Caller;
import io.queues4j.http.RateLimit;
import io.queues4j.http.RateLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsReaderTest {
  @TempDir Path dir;

  private static final String QUEUES = "[[queues.producers]]\nbinding = \"JOBS\"\nqueue = \"jobs\"\n";

  private Path wrangler(String server) {
    return Setup.write(dir, "wrangler.toml", QUEUES + "\n" + server);
  }

  private static Map<String, String> token() {
    return Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN);
  }

  private static String sha256(String token) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void defaults() {
    Path file = wrangler("");

    Setup.Read read = Setup.read(token(), "--config", file.toString());

    assertThat(read.problems()).isEmpty();
    ServerSettings s = read.settings();
    assertThat(s.host()).isEqualTo("127.0.0.1");
    assertThat(s.port()).isEqualTo(8787);
    assertThat(s.probePort()).isEqualTo(8788);
    assertThat(s.gracePeriod()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.store()).isEqualTo(StoreOption.defaults());
    assertThat(s.store().kind()).isEqualTo(StoreOption.Kind.SQLITE);
    assertThat(s.tls()).isNull();
    assertThat(s.w7s()).isNull();
    assertThat(s.allowOverride()).isNull();
    assertThat(s.routes()).isEmpty();
    assertThat(s.cloudflare()).isNull();
    assertThat(s.insecureNoAuth()).isFalse();
    assertThat(s.rateLimits()).hasToString(RateLimits.defaults().toString());
  }

  @Test
  void aFlagWinsOverItsVariableAndAVariableOverTheFile() {
    Path file = wrangler("[queues4j.server]\nport = 1000\nhost = \"10.0.0.1\"\ngrace_period = 1\n");
    Map<String, String> env = Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN,
        "QUEUES4J_PORT", "2000", "QUEUES4J_GRACE_PERIOD", "2.5");

    ServerSettings fileOnly = Setup.read(token(), "--config", file.toString()).settings();
    ServerSettings envOverFile = Setup.read(env, "--config", file.toString()).settings();
    ServerSettings flagOverEnv = Setup.read(env, "--config", file.toString(), "--port", "3000", "--host", "::1").settings();

    assertThat(fileOnly.port()).isEqualTo(1000);
    assertThat(fileOnly.host()).isEqualTo("10.0.0.1");
    assertThat(fileOnly.gracePeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(envOverFile.port()).isEqualTo(2000);
    assertThat(envOverFile.host()).isEqualTo("10.0.0.1");
    assertThat(envOverFile.gracePeriod()).isEqualTo(Duration.ofMillis(2_500));
    assertThat(flagOverEnv.port()).isEqualTo(3000);
    assertThat(flagOverEnv.probePort()).isEqualTo(3001);
    assertThat(flagOverEnv.host()).isEqualTo("::1");
  }

  @Test
  void anEmptyVariableCountsAsUnset() {
    Path file = wrangler("[queues4j.server]\nport = 1000\n");

    Setup.Read read = Setup.read(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN, "QUEUES4J_PORT", " "),
        "--config", file.toString());

    assertThat(read.problems()).isEmpty();
    assertThat(read.settings().port()).isEqualTo(1000);
  }

  @Test
  void theProbePortFollowsTheHttpPortUnlessSet() {
    Path file = wrangler("");
    String f = file.toString();

    assertThat(Setup.read(token(), "--config", f, "--port", "0").settings().probePort()).isZero();
    assertThat(Setup.read(token(), "--config", f, "--port", "9000", "--probe-port", "7000").settings().probePort())
        .isEqualTo(7000);
    assertThat(Setup.read(token(), "--config", f, "--port", "65535").messages())
        .containsExactly("command line: --probe-port: the probe port defaults to the HTTP port + 1, which is 65536"
            + " for port 65535; set it");
    assertThat(Setup.read(token(), "--config", f, "--port", "9000", "--probe-port", "9000").messages())
        .containsExactly("command line: --probe-port: the probe port must differ from the HTTP port but both were 9000");
  }

  @Test
  void plainTokensAreHashedAndCallersParsed() throws Exception {
    Path file = wrangler("");
    String other = "another-token-0123456789";

    Setup.Read read = Setup.read(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN + ",\n acme/ops@staging=" + other,
        "QUEUES4J_TOKEN_SHA256S", "w7s-io/app@feature/x=" + sha256("third-token-0123456789").toUpperCase(java.util.Locale.ROOT)),
        "--config", file.toString());

    assertThat(read.problems()).isEmpty();
    assertThat(read.settings().tokens())
        .extracting(ServerSettings.Token::sha256Hex, ServerSettings.Token::caller)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(sha256(TOKEN), new Caller("acme", "producer", "production")),
            org.assertj.core.groups.Tuple.tuple(sha256(other), new Caller("acme", "ops", "staging")),
            org.assertj.core.groups.Tuple.tuple(sha256("third-token-0123456789"), new Caller("w7s-io", "app", "feature/x")));
  }

  @Test
  void tokenVariablesReplaceTheFilesTokens() throws Exception {
    Path file = wrangler("[[queues4j.server.tokens]]\ncaller = \"acme/file\"\nsha256 = \"" + sha256("file-token-0123456789") + """
        "
        [[queues4j.server.tokens]]
        caller = "acme/env@preview"
        token_env = "APP_TOKEN"
        """);

    Setup.Read fromFile = Setup.read(Map.of("APP_TOKEN", TOKEN), "--config", file.toString());
    Setup.Read fromEnv = Setup.read(Map.of("APP_TOKEN", TOKEN, "QUEUES4J_TOKEN_SHA256S", "x/y=" + sha256("z-token-0123456789ab")),
        "--config", file.toString());

    assertThat(fromFile.problems()).isEmpty();
    assertThat(fromFile.settings().tokens()).extracting(t -> t.caller().repository() + "@" + t.caller().environment())
        .containsExactly("acme/file@production", "acme/env@preview");
    assertThat(fromFile.settings().tokens().get(1).sha256Hex()).isEqualTo(sha256(TOKEN));
    assertThat(fromEnv.settings().tokens()).extracting(t -> t.caller().repository()).containsExactly("x/y");
  }

  @Test
  void badTokensAreReportedWithoutTheirValue() {
    Path file = wrangler("""
        [[queues4j.server.tokens]]
        caller = "acme/a"
        token_env = "MISSING_VAR"
        [[queues4j.server.tokens]]
        caller = "acme/b"
        sha256 = "abc"
        token_env = "X"
        [[queues4j.server.tokens]]
        sha256 = "abc"
        [[queues4j.server.tokens]]
        caller = "nobody"
        sha256 = "abc"
        """);
    String f = file.toString();

    Setup.Read fileRead = Setup.read(Map.of(), "--config", f);
    Setup.Read envRead = Setup.read(Map.of("QUEUES4J_TOKENS", "acme/a=short1,acme/b,acme/c=" + TOKEN + ",acme/d=" + TOKEN,
        "QUEUES4J_TOKEN_SHA256S", "acme/e=nothex"), "--config", f);

    assertThat(fileRead.messages()).containsExactly(
        f + ":7: queues4j.server.tokens[0].token_env: names the variable MISSING_VAR, which is not set",
        f + ":8: queues4j.server.tokens[1]: needs exactly one of \"sha256\" (the token's SHA-256 in hex) and"
            + " \"token_env\" (the variable that holds the token); tokens themselves never go in the file",
        f + ":12: queues4j.server.tokens[2]: missing required key \"caller\" (owner/repo[@environment])",
        f + ":15: queues4j.server.tokens[3].caller: a caller must be owner/repo or owner/repo@environment but was 'nobody'",
        "environment: QUEUES4J_TOKENS: no bearer token is configured, and the server refuses to start without one:"
            + " set QUEUES4J_TOKENS or QUEUES4J_TOKEN_SHA256S, or add [[queues4j.server.tokens]]; for local"
            + " development only, --insecure-no-auth starts without");
    assertThat(envRead.messages()).containsExactly(
        "environment: QUEUES4J_TOKENS entry 1: a token must be 16 to 1024 characters of A-Z a-z 0-9 . _ ~ + / -"
            + " (then '=' padding) but was 6 characters",
        "environment: QUEUES4J_TOKENS entry 2: must be <owner>/<repo>[@<environment>]=<token> but has no '='",
        "environment: QUEUES4J_TOKEN_SHA256S entry 1: a SHA-256 digest must be 64 hexadecimal digits but was 6 characters",
        "QUEUES4J_TOKENS[4]: the same token is configured twice (here for acme/d)");
    assertThat(String.join("\n", envRead.messages())).doesNotContain("short1").doesNotContain(TOKEN);
  }

  @Test
  void rateLimits() {
    Path file = wrangler("[queues4j.server.rate_limits]\nrepo = [\"10/s\", \"1000/h\"]\nowner = []\nglobal = \"off\"\n");

    RateLimits fromFile = Setup.read(token(), "--config", file.toString()).settings().rateLimits();
    RateLimits fromEnv = Setup.read(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN,
        "QUEUES4J_RATE_LIMIT_REPO", "off", "QUEUES4J_RATE_LIMIT_GLOBAL", "50/min, 7/d"), "--config", file.toString())
        .settings().rateLimits();
    Setup.Read bad = Setup.read(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN,
        "QUEUES4J_RATE_LIMIT_OWNER", "10/sec"), "--config", file.toString());

    assertThat(fromFile.perRepo()).containsExactly(RateLimit.perSecond(10), new RateLimit(1000, Duration.ofHours(1)));
    assertThat(fromFile.perOwner()).isEmpty();
    assertThat(fromFile.global()).isEmpty();
    assertThat(fromEnv.perRepo()).isEmpty();
    assertThat(fromEnv.perOwner()).isEmpty();
    assertThat(fromEnv.global()).containsExactly(RateLimit.perMinute(50), RateLimit.perDay(7));
    assertThat(bad.messages()).containsExactly("environment: QUEUES4J_RATE_LIMIT_OWNER: a rate limit must be"
        + " <permits>/<unit> with unit s, min, h or d (e.g. 100/s), or off, but was '10/sec'");
  }

  @Test
  void badValuesNameTheirPlaceTheLimitAndTheValue() {
    Path file = wrangler("""
        [queues4j.server]
        port = "8080"
        probe_port = 70000
        grace_period = 0.0005
        store = "redis"
        host = 5
        tls_keystore = "missing.p12"
        """);
    String f = file.toString();

    Setup.Read read = Setup.read(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN, "QUEUES4J_GRACE_PERIOD", "soon"),
        "--config", f, "--port", "1.5");

    assertThat(read.messages()).containsExactly(
        f + ":9: queues4j.server.store: store must be memory,"
            + " sqlite:<path> or postgres:<jdbc-url> (postgres:jdbc:postgresql://...) but was 'redis'",
        f + ":10: queues4j.server.host: must be a string but was a number",
        "command line: --port: must be a whole number from 0 to 65535 but was 1.5",
        f + ":7: queues4j.server.probe_port: must be a whole number from 0 to 65535 but was 70000",
        "environment: QUEUES4J_GRACE_PERIOD: must be a number but was 'soon'",
        f + ":11: queues4j.server.tls_keystore: key store " + dir.resolve("missing.p12") + " is not a file");
  }

  @Test
  void unknownKeysAreErrorsWithTheClosestKey() {
    Path file = wrangler("""
        [queues4j.server]
        prot = 1
        [queues4j.server.w7s]
        app = "a/b"
        consumer_ulr = "http://x"
        [[queues4j.server.routes]]
        path = "/jobs"
        queue = "jobs"
        accept = ["text/plain"]
        """);
    String f = file.toString();

    Setup.Read read = Setup.read(token(), "--config", f);

    assertThat(read.messages()).contains(
        f + ":6: queues4j.server.prot: unknown key (did you mean port?); known keys: store, sqlite, postgres, host,"
            + " port, probe_port, grace_period, tls_keystore, tls_password_env, tokens, w7s, rate_limits, routes, cloudflare",
        f + ":9: queues4j.server.w7s.consumer_ulr: unknown key (did you mean consumer_url?); known keys: app,"
            + " consumer_url, signing_secret_env",
        f + ":13: queues4j.server.routes[0].accept: unknown key (did you mean accepts?); known keys: path, queue, accepts");
  }

  @Test
  void theServerTableOfAJsonFileHasLinesToo() {
    Path file = Setup.write(dir, "w7s.json", """
        {
          "queues": ["jobs"],
          "queues4j": {
            "server": {
              "port": -1,
              "w7s": {"app": "acme"}
            }
          }
        }
        """);
    String f = file.toString();

    Setup.Read read = Setup.read(token(), "--config", f);

    assertThat(read.messages()).contains(
        f + ":5: queues4j.server.port: must be a whole number from 0 to 65535 but was -1",
        f + ":6: queues4j.server.w7s.app: a caller must be owner/repo or owner/repo@environment but was 'acme'");
  }

  @Test
  void secretsComeFromVariablesOnly() {
    Path file = wrangler("""
        [queues4j.server.w7s]
        app = "acme/worker@preview"
        consumer_url = "http://127.0.0.1:9000/base"
        signing_secret_env = "PUSH_SECRET"
        """);

    Setup.Read viaFile = Setup.read(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN,
        "PUSH_SECRET", "0123456789abcdef"), "--config", file.toString());
    Setup.Read direct = Setup.read(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN,
        "QUEUES4J_W7S_SIGNING_SECRET", "fedcba9876543210", "QUEUES4J_W7S_APP", "other/app"), "--config", file.toString());
    Setup.Read tooShort = Setup.read(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN,
        "PUSH_SECRET", "sekrit"), "--config", file.toString());

    ServerSettings.W7sApp app = java.util.Objects.requireNonNull(viaFile.settings().w7s());
    assertThat(app.app()).isEqualTo(new Caller("acme", "worker", "preview"));
    assertThat(app.consumerUrl()).hasToString("http://127.0.0.1:9000/base");
    assertThat(app.signingSecret()).isEqualTo("0123456789abcdef");
    assertThat(app.toString()).doesNotContain("0123456789abcdef");
    ServerSettings.W7sApp overridden = java.util.Objects.requireNonNull(direct.settings().w7s());
    assertThat(overridden.app()).isEqualTo(new Caller("other", "app", "production"));
    assertThat(overridden.signingSecret()).isEqualTo("fedcba9876543210");
    assertThat(tooShort.messages()).containsExactly(file + ":8: queues4j.server.w7s.signing_secret_env: the"
        + " secret in PUSH_SECRET must be at least 16 bytes but was 6");
  }

  @Test
  void routesFromTheFileOrAVariable() {
    Path file = wrangler("""
        [[queues4j.server.routes]]
        path = "/jobs"
        queue = "jobs"
        accepts = ["application/json"]
        [[queues4j.server.routes]]
        path = "/users/{id}/jobs"
        queue = "jobs"
        """);

    Setup.Read fromFile = Setup.read(token(), "--config", file.toString());
    Setup.Read fromEnv = Setup.read(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN, "QUEUES4J_ROUTES", "/tasks=jobs,bad"),
        "--config", file.toString());

    assertThat(fromFile.problems()).isEmpty();
    assertThat(fromFile.settings().routes()).extracting(r -> r.path() + " " + r.queue() + " " + r.accepts())
        .containsExactly("/jobs jobs [application/json]",
            "/users/{id}/jobs jobs [application/json, application/x-www-form-urlencoded, multipart/form-data, text/plain]");
    assertThat(fromEnv.settings().routes()).extracting(r -> r.path()).containsExactly("/tasks");
    assertThat(fromEnv.messages()).containsExactly("environment: QUEUES4J_ROUTES entry 2: must be <path>=<queue> but was 'bad'");
  }
}

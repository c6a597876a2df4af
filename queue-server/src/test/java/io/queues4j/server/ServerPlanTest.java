package io.queues4j.server;

import static io.queues4j.server.Setup.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.config.ConsumerType;
import io.queues4j.core.QueueSettings;
import io.queues4j.http.Caller;
import io.queues4j.http.W7sQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From files and settings to what the server serves. */
class ServerPlanTest {
  @TempDir Path dir;

  private static Map<String, String> w7sEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("QUEUES4J_TOKENS", "acme/producer=" + TOKEN);
    env.put("QUEUES4J_W7S_APP", "w7s-io/example-queue-worker");
    env.put("QUEUES4J_W7S_CONSUMER_URL", "http://127.0.0.1:9000/app/");
    env.put("QUEUES4J_W7S_SIGNING_SECRET", "0123456789abcdef0123456789abcdef");
    return env;
  }

  @Test
  void theSeedFilesTogether() {
    Path wrangler = Setup.seed(dir, "wrangler.toml");
    Path w7s = Setup.seed(dir.resolve("app"), "w7s.json");

    Setup.Read read = Setup.read(w7sEnv(), "--config", wrangler.toString(), "--config", dir.resolve("app").toString());

    assertThat(read.problems()).isEmpty();
    ServerPlan plan = read.plan();
    assertThat(plan.files).extracting(ConfigFiles.Loaded::file).containsExactly(wrangler, w7s);
    assertThat(plan.queues).containsOnlyKeys("jobs");
    assertThat(plan.pullConsumers).singleElement().satisfies(p -> {
      assertThat(p.declaration().queue()).isEqualTo("jobs");
      assertThat(p.declaration().type()).isEqualTo(ConsumerType.WORKER);
      assertThat(p.declaration().settings().retryDelay()).isEqualTo(Duration.ofSeconds(10));
      assertThat(p.source()).isEqualTo(wrangler.toString());
    });
    assertThat(plan.w7sQueues).extracting(W7sQueue::engineQueueName, q -> q.consumerUri().orElseThrow().toString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("w7s:w7s-io/example-queue-worker/production/jobs",
                "http://127.0.0.1:9000/app/_w7s/queues/jobs"),
            org.assertj.core.groups.Tuple.tuple("w7s:w7s-io/example-queue-worker/production/emails",
                "http://127.0.0.1:9000/app/internal/queues/emails"));
    W7sQueue jobs = plan.w7sQueues.get(0);
    assertThat(jobs.allow()).containsExactly("guerrerocarlos/nodepad");
    assertThat(jobs.consumerSettings().maxBatchSize()).isEqualTo(10);
    assertThat(jobs.consumerSettings().maxRetries()).isEqualTo(3);
    assertThat(jobs.consumerSettings().retryDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(Banner.summary(plan)).anySatisfy(l -> assertThat(l).contains("W7S queue  w7s:w7s-io/example-queue-worker"
        + "/production/jobs: push to http://127.0.0.1:9000/app/_w7s/queues/jobs (batch 10, retries 3, retry delay 10 s),"
        + " also allowed: guerrerocarlos/nodepad"));
  }

  @Test
  void w7sDeadLetterQueuesAreTheAppsQueuesOrPlainOnes() {
    Path w7s = Setup.write(dir, "w7s.json", "{\"queues\": [{\"name\": \"jobs\", \"dead_letter_queue\": \"failed\"},"
        + " {\"name\": \"mail\", \"dead_letter_queue\": \"mail-dlq\"}, \"failed\"],"
        + " \"queues4j\": {\"queues\": {\"mail-dlq\": {\"dead_letter_capacity\": 5}}}}");
    Map<String, String> env = w7sEnv();
    env.put("QUEUES4J_W7S_APP", "acme/worker@preview");
    env.put("QUEUES4J_W7S_ALLOW", "friend,other/repo");

    Setup.Read read = Setup.read(env, "--config", w7s.toString());

    assertThat(read.problems()).isEmpty();
    ServerPlan plan = read.plan();
    assertThat(plan.w7sQueues).extracting(W7sQueue::name).containsExactly("jobs", "mail", "failed");
    assertThat(plan.w7sQueues.get(0).consumerSettings().deadLetterQueue()).contains("w7s:acme/worker/preview/failed");
    assertThat(plan.w7sQueues.get(1).consumerSettings().deadLetterQueue()).contains("mail-dlq");
    assertThat(plan.w7sQueues.get(0).allow()).containsExactly("friend", "other/repo");
    assertThat(plan.queues).containsOnlyKeys("mail-dlq");
    assertThat(java.util.Objects.requireNonNull(plan.queues.get("mail-dlq")).deadLetterCapacity()).isEqualTo(5);
  }

  @Test
  void aW7sFileNeedsTheAppItsUrlAndTheSigningSecret() {
    Path w7s = Setup.seed(dir, "w7s.json");

    Setup.Read read = Setup.read(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN), "--config", w7s.toString());
    Map<String, String> partial = w7sEnv();
    partial.remove("QUEUES4J_W7S_SIGNING_SECRET");
    Setup.Read noSecret = Setup.read(partial, "--config", w7s.toString());

    assertThat(read.messages()).containsExactly(w7s + ": a w7s.json needs the app (QUEUES4J_W7S_APP=owner/repo[@environment]),"
        + " its base URL (QUEUES4J_W7S_CONSUMER_URL), the push signing secret (QUEUES4J_W7S_SIGNING_SECRET), in the"
        + " environment or in [queues4j.server.w7s] (app, consumer_url, signing_secret_env)");
    assertThat(noSecret.messages()).containsExactly(w7s + ": a w7s.json needs the push signing secret"
        + " (QUEUES4J_W7S_SIGNING_SECRET), in the environment or in [queues4j.server.w7s] (app, consumer_url,"
        + " signing_secret_env)");
  }

  @Test
  void combinationsThatCannotWork() {
    Path a = Setup.write(dir, "a/wrangler.toml", """
        [[queues.consumers]]
        queue = "jobs"
        [queues4j.queues.jobs]
        delivery_delay = 5
        [queues4j.server]
        port = 0
        [[queues4j.server.routes]]
        path = "/jobs"
        queue = "jbos"
        """);
    Path b = Setup.write(dir, "b/wrangler.toml", """
        [[queues.producers]]
        binding = "J"
        queue = "jobs"
        [queues4j.server]
        port = 1
        """);
    Path w1 = Setup.seed(dir.resolve("c"), "w7s.json");
    Path w2 = Setup.seed(dir.resolve("d"), "w7s.json");
    Map<String, String> env = w7sEnv();
    env.put("QUEUES4J_CLOUDFLARE_ACCOUNT_ID", "023e105f4ecef8ad9ca31a8372d0c353");
    env.put("QUEUES4J_CLOUDFLARE_CALLERS", "acme/producer,acme/nobody@staging");

    Setup.Read read = Setup.read(env, "--config", a + "," + b + "," + w1 + "," + w2, "--insecure-no-auth");

    assertThat(read.messages()).containsExactly(
        b + ": queues4j.server: only one file may hold the server table, and " + a + " has one too",
        b + ": queue 'jobs' is declared with other settings by " + a + ": " + QueueSettings.builder()
            .deliveryDelay(Duration.ofSeconds(5)).build() + " there, " + QueueSettings.defaults() + " here",
        w2 + ": a server serves one W7S app, but " + w1 + " is a w7s.json too",
        a + ": queues4j.server.routes: route POST /jobs sends to queue 'jbos', which no configuration file declares"
            + " (did you mean jobs?); declared: jobs, w7s:w7s-io/example-queue-worker/production/jobs,"
            + " w7s:w7s-io/example-queue-worker/production/emails",
        "command line: --insecure-no-auth: --insecure-no-auth was given but 1 token(s) are configured; remove one or the other",
        "environment: QUEUES4J_CLOUDFLARE_CALLERS: no token is configured for the Cloudflare caller acme/nobody@staging");
  }

  @Test
  void wranglerConsumersArePullConsumersOfTheCloudflareApi() {
    Path wrangler = Setup.write(dir, "wrangler.toml", """
        [[queues.consumers]]
        queue = "jobs"
        max_batch_size = 25
        max_retries = 1
        retry_delay = 7
        dead_letter_queue = "jobs-dlq"
        [[queues.consumers]]
        queue = "pulled"
        type = "http_pull"
        visibility_timeout_ms = 60000
        """);
    Map<String, String> env = new HashMap<>(Map.of("QUEUES4J_TOKENS", "acme/ops=" + TOKEN,
        "QUEUES4J_CLOUDFLARE_ACCOUNT_ID", "023E105F4ECEF8AD9CA31A8372D0C353"));

    Setup.Read noCallers = Setup.read(env, "--config", wrangler.toString());
    env.put("QUEUES4J_CLOUDFLARE_CALLERS", "acme/ops");
    Setup.Read read = Setup.read(env, "--config", wrangler.toString());
    Setup.Read callersOnly = Setup.read(Map.of("QUEUES4J_TOKENS", "acme/ops=" + TOKEN,
        "QUEUES4J_CLOUDFLARE_CALLERS", "acme/ops"), "--config", wrangler.toString());

    assertThat(noCallers.messages()).containsExactly("environment: QUEUES4J_CLOUDFLARE_CALLERS: the Cloudflare REST API"
        + " needs the callers allowed on it (owner/repo[@environment], each with a token)");
    assertThat(callersOnly.messages()).containsExactly("environment: QUEUES4J_CLOUDFLARE_CALLERS: Cloudflare callers are"
        + " set but no account id (QUEUES4J_CLOUDFLARE_ACCOUNT_ID)");
    assertThat(read.problems()).isEmpty();
    ServerSettings.Cloudflare cloudflare = java.util.Objects.requireNonNull(read.settings().cloudflare());
    assertThat(cloudflare.accountId()).isEqualTo("023e105f4ecef8ad9ca31a8372d0c353");
    assertThat(cloudflare.callers()).containsExactly(new Caller("acme", "ops", "production"));
    ServerPlan plan = read.plan();
    assertThat(plan.pullConsumers).extracting(p -> ServerPlan.pullSettings(p.declaration()).toString())
        .containsExactly(
            io.queues4j.core.PullSettings.builder().batchSize(25).maxRetries(1).retryDelay(Duration.ofSeconds(7))
                .deadLetterQueue("jobs-dlq").build().toString(),
            io.queues4j.core.PullSettings.builder().batchSize(10).visibilityTimeout(Duration.ofMinutes(1)).build()
                .toString());
    assertThat(Banner.summary(plan)).contains(
        "  queue      jobs: worker consumer, served as a pull consumer (batch 25, visibility timeout 30 s, retries 1,"
            + " retry delay 7 s, dead letters to jobs-dlq)",
        "  cloudflare account 023e105f4ecef8ad9ca31a8372d0c353, callers: acme/ops@production");
    assertThat(Banner.warnings(plan)).isEmpty();
    assertThat(Banner.warnings(Setup.read(Map.of("QUEUES4J_TOKENS", "acme/ops=" + TOKEN), "--config",
        wrangler.toString()).plan())).hasSize(2).first().asString()
        .contains("the server serves it as a pull consumer over Cloudflare's REST API, which is off");
  }

  @Test
  void aBrokenFileDoesNotCauseFollowUpProblems() {
    Path broken = Setup.write(dir, "wrangler.toml", """
        [[queues.consumers]]
        queue = "jobs"
        max_batch_size = 500
        [[queues4j.server.routes]]
        path = "/jobs"
        queue = "jobs"
        """);

    Setup.Read read = Setup.read(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN), "--config", broken.toString());

    assertThat(read.messages()).containsExactly(broken + ":3:1: queues.consumers[0].max_batch_size: max_batch_size = 500"
        + " is out of range: maxBatchSize must be in [1, 100] but was 500");
  }

  @Test
  void insecureModeAcceptsThePublicTokenAsTheAppOrALocalCaller() {
    Path wrangler = Setup.seed(dir, "wrangler.toml");
    Setup.seed(dir.resolve("app"), "w7s.json");
    Map<String, String> env = w7sEnv();
    env.remove("QUEUES4J_TOKENS");

    Setup.Read plain = Setup.read(Map.of(), "--config", wrangler.toString(), "--insecure-no-auth");
    Setup.Read withApp = Setup.read(env, "--config", dir.resolve("app").toString(), "--insecure-no-auth");

    assertThat(plain.problems()).isEmpty();
    assertThat(plain.plan().insecureCaller()).isEqualTo(new Caller("local", "insecure", "production"));
    assertThat(withApp.problems()).isEmpty();
    assertThat(withApp.plan().insecureCaller()).isEqualTo(new Caller("w7s-io", "example-queue-worker", "production"));
    assertThat(Banner.summary(plain.plan())).last().asString().contains("INSECURE: no token configured")
        .contains("'Authorization: Bearer queues4j-insecure-no-auth' as local/insecure@production");
  }
}

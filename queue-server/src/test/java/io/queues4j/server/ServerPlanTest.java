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
        "environment: QUEUES4J_CLOUDFLARE_ACCOUNT_ID / queues4j.server.cloudflare.account_id: the Cloudflare REST API"
            + " is not available in this build: it needs the engine-backed backend of queue-http; leave the account id unset");
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

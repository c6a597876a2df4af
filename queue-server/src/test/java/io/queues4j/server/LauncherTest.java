package io.queues4j.server;

import static io.queues4j.server.Setup.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The program's answers that start no server: help, check, refusals. */
class LauncherTest {
  @TempDir Path dir;

  @Test
  void helpDocumentsEveryFlagVariableAndFileKey() {
    Setup.Run run = Setup.run(Map.of(), "--help");

    assertThat(run.status()).isZero();
    assertThat(run.err()).isEmpty();
    for (Setting s : Setting.values()) {
      if (s.flag != null) {
        assertThat(run.out()).as(s.name()).contains("  " + s.flag);
      }
      if (s.env != null) {
        assertThat(run.out()).as(s.name()).contains("  " + s.env + "=");
      }
      if (s.fileKey != null) {
        assertThat(run.out()).as(s.name()).contains(s.fileKey);
      }
    }
    assertThat(run.out()).contains("Precedence: a flag wins over its environment variable, a variable over the file's key")
        .contains("143 after SIGTERM");
    assertThat(run.out().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
  }

  @Test
  void anUnknownFlagIsOneLineAndStatusTwo() {
    Setup.Run run = Setup.run(Map.of(), "--config", "x.toml", "--verbose");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("queues4j-server: unknown option '--verbose'; run with --help for the options\n");
  }

  @Test
  void checkPrintsASummaryAndStatusZero() {
    Path file = Setup.seed(dir, "wrangler.toml");

    Setup.Run run = Setup.run(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN, "QUEUES4J_ROUTES", "/jobs=jobs"),
        "--config", dir.toString(), "--check");

    Path db = Path.of("queues4j.db").toAbsolutePath();
    assertThat(run.status()).isZero();
    assertThat(run.out()).isEqualTo("queues4j-server: the configuration is valid\n"
        + "  config     " + file + " (wrangler TOML)\n"
        + "  store      sqlite:" + db + " (durable, FULL durability; one process at a time, lock file " + db
        + ".lock)\n"
        + "  queue      jobs: worker consumer, served as a pull consumer (batch 10, visibility timeout 30 s, retries 3,"
        + " retry delay 10 s)\n"
        + "  route      POST /jobs -> jobs\n"
        + "  auth       1 token: acme/producer@production\n");
    assertThat(run.err()).isEqualTo("queues4j-server: warning: queue 'jobs' has a worker consumer in " + file
        + ": the server serves it as a pull consumer over Cloudflare's REST API, which is off (set"
        + " QUEUES4J_CLOUDFLARE_ACCOUNT_ID and QUEUES4J_CLOUDFLARE_CALLERS); until then its messages wait in the"
        + " queue\n");
  }

  @Test
  void checkListsEveryProblemFromEverySourceAndStatusOne() {
    Path file = Setup.write(dir, "wrangler.toml", """
        [[queues.consumers]]
        queue = "jobs"
        max_retries = -1

        [queues4j.server]
        port = 99999
        """);

    Setup.Run run = Setup.run(Map.of("QUEUES4J_GRACE_PERIOD", "-1", "QUEUES4J_PORTT", "1"),
        "--config", file.toString(), "--store", "sqlite:", "--check");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo(
        "queues4j-server: warning: environment variable QUEUES4J_PORTT is not a queues4j setting (did you mean"
            + " QUEUES4J_PORT?); it is ignored\n"
            + "queues4j-server: the configuration has 5 problems:\n"
            + "  " + file + ":3:1: queues.consumers[0].max_retries: max_retries = -1 is out of range: maxRetries must"
            + " be in [0, 100] but was -1\n"
            + "  command line: --store: store sqlite: needs the database file's path, e.g. sqlite:queues4j.db but"
            + " was 'sqlite:'\n"
            + "  " + file + ":6: queues4j.server.port: must be a whole number from 0 to 65535 but was 99999\n"
            + "  environment: QUEUES4J_GRACE_PERIOD: must be 0 to 3600 seconds but was -1\n"
            + "  environment: QUEUES4J_TOKENS: no bearer token is configured, and the server refuses to start without"
            + " one: set QUEUES4J_TOKENS or QUEUES4J_TOKEN_SHA256S, or add [[queues4j.server.tokens]]; for local"
            + " development only, --insecure-no-auth starts without\n");
  }

  @Test
  void theExampleConfigurationOfTheReadmeIsValid() {
    Path examples = Path.of(System.getProperty("queues4j.server.examples", "examples"));

    Setup.Run run = Setup.run(Map.of("PRODUCER_TOKEN", TOKEN, "PUSH_SECRET", "change-me-0123456789abcdef"),
        "--config", examples.resolve("wrangler.toml") + "," + examples.resolve("w7s.json"), "--check");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("  route      POST /jobs -> jobs\n",
        "  W7S queue  w7s:w7s-io/example-queue-worker/production/emails: push to"
            + " http://127.0.0.1:9000/internal/queues/emails",
        "  cloudflare account 023e105f4ecef8ad9ca31a8372d0c353, callers: w7s-io/example-queue-producer@production\n",
        "  auth       1 token: w7s-io/example-queue-producer@production\n");
    assertThat(run.err()).as("no warning").isEmpty();
  }

  @Test
  void withoutAConfigurationItSaysHowToGiveOne() {
    Setup.Run run = Setup.run(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("  command line: --config: no configuration file: give --config <file-or-directory>"
        + " or set QUEUES4J_CONFIG\n");
  }

  @Test
  void missingFilesAndDirectoriesWithoutAConfiguration() {
    Setup.Run run = Setup.run(Map.of("QUEUES4J_TOKENS", "acme/producer=" + TOKEN,
        "QUEUES4J_CONFIG", dir + "," + dir.resolve("nope.toml")), "--check");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains(
        "  " + dir + ": the directory has no configuration file: looked for [wrangler.json, wrangler.jsonc, wrangler.toml, w7s.json]\n",
        "  " + dir.resolve("nope.toml") + ": no such file or directory\n");
  }
}

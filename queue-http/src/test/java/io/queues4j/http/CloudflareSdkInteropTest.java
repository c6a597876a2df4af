package io.queues4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official Cloudflare API client for JavaScript (npm {@code cloudflare} 7.3.0, pinned by the
 * committed {@code package-lock.json}) against a local server: {@code src/test/node/cloudflare-sdk/
 * interop.mjs} creates queues, adds an {@code http_pull} consumer, pushes, pushes a batch, pulls,
 * acks and retries, lists, purges and deletes through the client's own methods, asserting in
 * JavaScript, and prints a JSON report that this test checks.
 *
 * <p>Needs {@code node} (18 or newer) and {@code npm} on the {@code PATH}: without them it fails,
 * saying so. The client is installed with {@code npm ci} into {@code target/npm}, once: a later run
 * finds {@code node_modules} there with the locked version and skips the install. Backend-agnostic:
 * a subclass supplies the backend.
 */
abstract class CloudflareSdkInteropTest {
  static final String SDK_VERSION = "7.3.0";
  private static final Path SOURCES = Path.of("src", "test", "node", "cloudflare-sdk").toAbsolutePath();
  private static final Path NPM = Path.of("target", "npm").toAbsolutePath();

  abstract QueueBackend backend(MutableClock clock);

  @Test
  void theOfficialClientDrivesEveryRouteItUses() throws Exception {
    installClient();
    try (CloudflareFixture f = new CloudflareFixture(this::backend)) {
      Map<String, String> env =
          Map.of(
              "QUEUES4J_BASE_URL", f.base(),
              "QUEUES4J_TOKEN", CloudflareFixture.TOKEN,
              "QUEUES4J_ACCOUNT", CloudflareFixture.ACCOUNT);
      Result run = run(List.of("node", "interop.mjs"), env, 60);
      List<String> lines = run.stdout().strip().lines().toList();
      if (lines.isEmpty()) {
        fail("interop.mjs printed nothing (exit " + run.exitCode() + "); stderr: " + run.stderr());
      }
      JsonNode report = RawHttp.MAPPER.readTree(lines.get(lines.size() - 1));
      assertThat(report.path("ok").asBoolean())
          .as("interop.mjs failed: %s%nstderr: %s", report.path("error").asText(run.stdout()), run.stderr())
          .isTrue();
      assertThat(run.exitCode()).isZero();
      List<String> steps = new ArrayList<>();
      report.path("steps").forEach(s -> steps.add(s.isTextual() ? s.asText() : s.fieldNames().next()));
      assertThat(steps)
          .containsExactly(
              "create", "list", "edit+update", "consumer", "push", "pull", "ack", "retried", "purge",
              "errors", "delete");
      assertThat(report.path("steps").get(5).path("pull").asInt()).isEqualTo(5);
      assertThat(report.path("steps").get(6).path("ack").path("ackCount").asInt()).isEqualTo(4);
      assertThat(report.path("steps").get(6).path("ack").path("retryCount").asInt()).isEqualTo(1);
      assertThat(report.path("steps").get(7).path("retried").asInt()).isEqualTo(2);
      assertThat(f.backend.listQueues()).as("the script deleted what it created").isEmpty();
    }
  }

  /** Installs the locked client into target/npm unless it is there already. */
  private static void installClient() throws Exception {
    Files.createDirectories(NPM);
    requireTool("node");
    requireTool("npm");
    copy("package.json");
    copy("interop.mjs");
    Path installed = NPM.resolve("node_modules/cloudflare/package.json");
    boolean lockUnchanged =
        Files.exists(NPM.resolve("package-lock.json"))
            && Files.mismatch(NPM.resolve("package-lock.json"), SOURCES.resolve("package-lock.json")) == -1;
    if (lockUnchanged && Files.exists(installed)
        && RawHttp.MAPPER.readTree(installed.toFile()).path("version").asText().equals(SDK_VERSION)) {
      return;
    }
    copy("package-lock.json");
    Result npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), Map.of(), 300);
    if (npm.exitCode() != 0) {
      fail("npm ci in " + NPM.toAbsolutePath() + " failed (exit " + npm.exitCode() + "); is the npm "
          + "registry reachable?\n" + npm.stdout() + npm.stderr());
    }
  }

  private static void copy(String name) throws IOException {
    Files.copy(SOURCES.resolve(name), NPM.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  private static void requireTool(String tool) throws InterruptedException {
    try {
      Result r = run(List.of(tool, "--version"), Map.of(), 30);
      if (r.exitCode() != 0) {
        fail(tool + " --version failed (exit " + r.exitCode() + "): " + r.stderr());
      }
    } catch (IOException e) {
      fail("this test needs " + tool + " (Node.js 18 or newer with npm) on the PATH, to run the "
          + "official Cloudflare client against the server; install it, e.g. apt-get install nodejs "
          + "npm (" + e.getMessage() + ")");
    }
  }

  record Result(int exitCode, String stdout, String stderr) {}

  /** Runs a command in target/npm, output to files there; fails if it outlives the timeout. */
  private static Result run(List<String> command, Map<String, String> env, int timeoutSeconds)
      throws IOException, InterruptedException {
    String name = command.get(0) + "-" + command.get(1).replaceAll("[^a-z]", "");
    Path out = NPM.resolve(name + ".out");
    Path err = NPM.resolve(name + ".err");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(NPM.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s; output in " + out.toAbsolutePath());
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}

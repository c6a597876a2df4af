package io.queues4j.server;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar target/queues4j-server.jar} in a child JVM, with its own environment (no
 * inherited {@code QUEUES4J_*} variable), its standard output and error in {@code target/it-logs/}.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening\\s+https?://[^\\s:]+:(\\d+)");
  private static final Pattern PROBES = Pattern.compile("probes\\s+http://[^\\s:]+:(\\d+)/healthz");

  private final Process process;
  private final Path out;
  private final Path err;

  private ServerProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts the jar in the working directory {@code workDir} (where the default SQLite store,
   * {@code queues4j.db}, goes) with the arguments and exactly these queues4j variables.
   */
  static ServerProcess start(String name, Path workDir, Map<String, String> env, String... args) {
    Path jar = Path.of(System.getProperty("queues4j.server.jar", "target/queues4j-server.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the process tests run after `package`");
    }
    try {
      Path logs = Files.createDirectories(Path.of("target", "it-logs").toAbsolutePath());
      Path out = logs.resolve(name + ".out");
      Path err = logs.resolve(name + ".err");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString()));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().keySet().removeIf(k -> k.startsWith("QUEUES4J_"));
      builder.environment().putAll(env);
      return new ServerProcess(builder.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the jar to its end (help, check, a refusal) and returns its exit status. */
  static ServerProcess run(String name, Path workDir, Map<String, String> env, String... args)
      throws InterruptedException {
    ServerProcess p = start(name, workDir, env, args);
    if (!p.process.waitFor(60, TimeUnit.SECONDS)) {
      p.close();
      throw new AssertionError(name + " did not exit within 60 s");
    }
    return p;
  }

  int exitValue() {
    return process.exitValue();
  }

  String stdout() {
    return read(out);
  }

  String stderr() {
    return read(err);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the banner and returns the HTTP port. */
  int awaitReady() {
    await("the banner").atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive() || LISTENING.matcher(stderr()).find());
    return port(LISTENING);
  }

  int probePort() {
    return port(PROBES);
  }

  private int port(Pattern pattern) {
    Matcher m = pattern.matcher(stderr());
    if (!m.find()) {
      throw new AssertionError("no '" + pattern + "' in the server's output:\n" + stderr());
    }
    return Integer.parseInt(m.group(1));
  }

  /** Waits until the server's output contains the text. */
  void awaitLog(String text) {
    await(text).atMost(Duration.ofSeconds(60)).until(() -> stderr().contains(text));
  }

  /** Sends SIGTERM ({@code Process.destroy()} on Linux) and returns the exit status. */
  int terminate() throws InterruptedException {
    signal();
    return awaitExit();
  }

  /** Sends SIGTERM and returns at once. */
  void signal() {
    process.destroy();
  }

  /** Waits for the process to exit by itself and returns its status. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the server did not exit within 60 s:\n" + stderr());
    }
    return process.exitValue();
  }

  /** Sends SIGKILL ({@code destroyForcibly()}): no shutdown hook runs. Returns the exit status. */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the server did not die within 60 s of SIGKILL");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}

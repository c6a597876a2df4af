package io.queues4j.server;

import io.queues4j.config.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes configuration files and reads them as the launcher does. */
final class Setup {
  /** A token of the right shape for tests. */
  static final String TOKEN = "test-token-0123456789abcdef";

  private Setup() {}

  /** What reading a configuration gave. */
  record Read(ServerPlan plan, List<Problem> problems) {
    ServerSettings settings() {
      return plan.settings;
    }

    List<String> messages() {
      return problems.stream().map(Problem::toString).toList();
    }
  }

  /** What a run printed. */
  record Run(int status, String out, String err) {}

  static Path write(Path dir, String name, String text) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path seed(Path dir, String name) {
    try (var in = Setup.class.getResourceAsStream("/seeds/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no seed " + name);
      }
      return write(dir, name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the configuration the arguments and variables describe, with the dry run. */
  static Read read(Map<String, String> env, String... args) {
    try {
      List<Problem> problems = new ArrayList<>();
      ServerPlan plan = new Launcher(env, System.out, System.err).plan(CommandLine.parse(args), problems, true);
      return new Read(plan, problems);
    } catch (UsageException e) {
      throw new AssertionError(e);
    }
  }

  /** Runs the launcher (help, check or a refusal; never a server) and captures its output. */
  static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = new Launcher(env, o, e).run(args);
    }
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}

package io.queues4j.server;

import io.queues4j.config.Problem;
import io.queues4j.core.QueueEngine;
import io.queues4j.http.QueueHttpServer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the program: parses the command line, loads and checks the whole configuration, then
 * prints help, reports the check, or serves until the JVM shuts down.
 */
final class Launcher {
  /** {@link #run} returns this after serving: the JVM is already shutting down, do not exit. */
  static final int SERVED = -1;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  Launcher(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = Map.copyOf(env);
    this.out = out;
    this.err = err;
  }

  /**
   * Runs with the arguments; returns the exit status, or {@link #SERVED} once a server that was
   * started has stopped.
   */
  int run(String... args) {
    CommandLine commandLine;
    try {
      commandLine = CommandLine.parse(args);
    } catch (UsageException e) {
      err.println("queues4j-server: " + e.getMessage() + "; run with --help for the options");
      return 2;
    }
    if (commandLine.help()) {
      out.print(Help.text());
      return 0;
    }
    List<Problem> problems = new ArrayList<>();
    List<String> warnings = unknownVariables();
    ServerPlan plan = plan(commandLine, problems, commandLine.check());
    if (!problems.isEmpty()) {
      warnings.forEach(w -> err.println("queues4j-server: warning: " + w));
      err.println("queues4j-server: the configuration has " + problems.size()
          + (problems.size() == 1 ? " problem:" : " problems:"));
      problems.forEach(p -> err.println("  " + p));
      return 1;
    }
    if (commandLine.check()) {
      warnings.forEach(w -> err.println("queues4j-server: warning: " + w));
      Banner.warnings(plan).forEach(w -> err.println("queues4j-server: warning: " + w));
      out.println("queues4j-server: the configuration is valid");
      Banner.summary(plan).forEach(out::println);
      return 0;
    }
    Logger logger = LoggerFactory.getLogger(Launcher.class);
    warnings.forEach(w -> logger.warn("{}", w));
    return serve(plan, logger);
  }

  /**
   * Loads, reads and plans everything, collecting every problem; with {@code dryRun}, also
   * declares the queues and builds the HTTP server, unstarted, as a start would.
   */
  ServerPlan plan(CommandLine commandLine, List<Problem> problems, boolean dryRun) {
    List<String> configs = SettingsReader.configs(commandLine, env);
    if (configs.isEmpty()) {
      problems.add(new Problem(SettingsReader.COMMAND_LINE, 0, 0, "--config",
          "no configuration file: give --config <file-or-directory> or set " + Setting.CONFIG.env));
    }
    int before = problems.size();
    ConfigFiles.Result loaded =
        ConfigFiles.load(configs, SettingsReader.wranglerEnvironment(commandLine, env), problems);
    boolean complete = problems.size() == before;
    ServerTable table = null;
    for (ServerTable t : loaded.serverTables()) {
      if (table != null) {
        problems.add(new Problem(t.source, 0, 0, ServerTable.PREFIX,
            "only one file may hold the server table, and " + table.source + " has one too"));
      } else {
        table = t;
      }
    }
    ServerSettings settings = new SettingsReader(commandLine, env, table, problems).read();
    ServerPlan plan = ServerPlan.of(settings, loaded.files(), complete, problems);
    if (dryRun && problems.isEmpty()) {
      dryRun(plan, problems);
    }
    return plan;
  }

  /** Declares the queues on a throwaway in-memory engine and builds the HTTP server, unstarted. */
  private static void dryRun(ServerPlan plan, List<Problem> problems) {
    QueueEngine engine = QueueEngine.builder().build();
    try {
      plan.declareQueues(engine);
      plan.configure(QueueHttpServer.builder(engine)).build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      problems.add(new Problem(SettingsReader.COMMAND_LINE, 0, 0, "", String.valueOf(e.getMessage())));
    } finally {
      engine.shutdown(java.time.Duration.ZERO);
    }
  }

  /** Variables that start with QUEUES4J_ but are not the server's: probably misspelt. */
  private List<String> unknownVariables() {
    List<String> warnings = new ArrayList<>();
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.startsWith("QUEUES4J_") && !Setting.envs().contains(name)) {
        warnings.add("environment variable " + name + " is not a queues4j setting"
            + Spelling.suggest(name, Setting.envs()) + "; it is ignored");
      }
    }
    return warnings;
  }

  private int serve(ServerPlan plan, Logger logger) {
    QueueServer server = new QueueServer(plan);
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "queues4j-shutdown"));
    try {
      server.start();
    } catch (RuntimeException e) {
      logger.error("queues4j server cannot start: {}", e.getMessage());
      logger.debug("start failure", e);
      return 1;
    }
    try {
      server.awaitStopped();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return SERVED;
  }
}

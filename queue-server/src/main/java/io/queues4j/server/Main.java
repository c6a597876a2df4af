package io.queues4j.server;

/**
 * The queues4j server's command: {@code java -jar queues4j-server.jar --config wrangler.toml}.
 *
 * <p>It reads wrangler ({@code wrangler.toml}, {@code wrangler.json}, {@code wrangler.jsonc}) and
 * W7S ({@code w7s.json}) configuration files, declares their queues on one engine, and serves them
 * over HTTP: W7S sends with signed push delivery to the app, queue-run enqueue routes, and {@code
 * GET /healthz} and {@code GET /readyz} on a probe port. Its settings come from flags, environment
 * variables ({@code QUEUES4J_*}) and the {@code [queues4j.server]} table of a configuration file,
 * in that order of precedence; {@code --help} lists them all and {@code docs/SERVER.md} documents
 * them. On SIGTERM it stops taking sends, gives batches in flight a grace period to finish, logs
 * what was left undelivered and exits.
 *
 * <p>Exit status: 0 after {@code --help} or a passing {@code --check}; 1 when the configuration has
 * problems (every one is printed) or the server cannot start; 2 for a command line it does not
 * understand (one line on standard error); 143 after SIGTERM.
 */
public final class Main {
  private Main() {}

  /**
   * Runs the server, or {@code --help}, or {@code --check}.
   *
   * @param args the command line; {@code --help} lists the flags
   */
  public static void main(String[] args) {
    defaultLogging(java.util.Arrays.asList(args).contains("--check"));
    int status = new Launcher(System.getenv(), System.out, System.err).run(args);
    if (status != Launcher.SERVED) {
      System.exit(status);
    }
  }

  /**
   * Sets the defaults of the jar's logging backend (slf4j-simple): INFO (WARN for {@code --check},
   * whose report is its output), with the time and the logger, to standard error; Jetty's own
   * lines from WARN. {@code -D} properties win.
   */
  private static void defaultLogging(boolean check) {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", check ? "warn" : "info");
    setIfAbsent("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "false");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}

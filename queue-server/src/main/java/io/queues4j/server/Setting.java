package io.queues4j.server;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Every setting of the server, with the command-line flag, the environment variable and the key of
 * the {@code [queues4j.server]} table that set it. {@link Help} prints this table, so {@code --help}
 * documents every flag and variable; the readers look names up here, so the two cannot drift.
 *
 * <p>Precedence: flag, then environment variable, then file, then default.
 */
enum Setting {
  CONFIG("--config", "QUEUES4J_CONFIG", null, "<path>",
      "a wrangler.toml, wrangler.json(c) or w7s.json file, or a directory holding one; repeat the"
          + " flag (or separate with commas) to serve several files, at most one of them a"
          + " w7s.json", "required"),
  WRANGLER_ENV("--env", "QUEUES4J_WRANGLER_ENV", null, "<name>",
      "the wrangler environment whose queues to read ([env.<name>]), as wrangler --env",
      "the top level"),
  STORE("--store", "QUEUES4J_STORE", "store", "<store>",
      "where messages are kept: sqlite:<path> (a SQLite file, relative to the working directory;"
          + " its directories are created), postgres:<jdbc-url> (a PostgreSQL database that several"
          + " servers may share; no password in the URL) or memory (lost at exit)",
      "sqlite:" + StoreOption.DEFAULT_SQLITE_FILE),
  SQLITE_DURABILITY("--sqlite-durability", "QUEUES4J_SQLITE_DURABILITY", "sqlite.durability",
      "FULL|NORMAL", "with a sqlite: store: FULL syncs each commit of sends to the disk (survives a"
          + " power loss); NORMAL survives the process ending in any way, not a power loss", "FULL"),
  POSTGRES_SCHEMA("--postgres-schema", "QUEUES4J_POSTGRES_SCHEMA", "postgres.schema", "<schema>",
      "with a postgres: store: the schema of its tables, created if missing; servers on the same"
          + " database and schema share every queue", StoreOption.DEFAULT_SCHEMA),
  POSTGRES_MAX_CONNECTIONS("--postgres-max-connections", "QUEUES4J_POSTGRES_MAX_CONNECTIONS",
      "postgres.max_connections", "<n>", "with a postgres: store: the size of its connection pool"
          + " (1 listening, the rest for its worker threads), 2 to 65",
      String.valueOf(StoreOption.DEFAULT_CONNECTIONS)),
  POSTGRES_PASSWORD(null, "QUEUES4J_POSTGRES_PASSWORD", "postgres.password_env", "<password>",
      "with a postgres: store: the database password (in the file: the name of the variable that"
          + " holds it)", "none"),
  HOST("--host", "QUEUES4J_HOST", "host", "<address>",
      "the address to listen on; 0.0.0.0 for every interface (in a container)", "127.0.0.1"),
  PORT("--port", "QUEUES4J_PORT", "port", "<port>",
      "the HTTP port of the queue routes; 0 picks a free one", "8787"),
  PROBE_PORT("--probe-port", "QUEUES4J_PROBE_PORT", "probe_port", "<port>",
      "the port of GET /healthz and GET /readyz, unauthenticated", "the HTTP port + 1 (0 if 0)"),
  GRACE_PERIOD("--grace-period", "QUEUES4J_GRACE_PERIOD", "grace_period", "<seconds>",
      "on SIGTERM, how long batches in flight may take to finish before the server exits", "20"),
  TLS_KEYSTORE(null, "QUEUES4J_TLS_KEYSTORE", "tls_keystore", "<path>",
      "serve HTTPS with the key and certificate of this PKCS12 or JKS file", "plain HTTP"),
  TLS_PASSWORD(null, "QUEUES4J_TLS_PASSWORD", "tls_password_env", "<password>",
      "the key store's password (in the file: the name of the variable that holds it)", "empty"),
  TOKENS(null, "QUEUES4J_TOKENS", "tokens[].token_env", "<caller>=<token>,...",
      "bearer tokens, hashed with SHA-256 at start; a caller is owner/repo[@environment]"
          + " (environment production if left out); in the file: the name of the variable that"
          + " holds one token", "none"),
  TOKEN_SHA256S(null, "QUEUES4J_TOKEN_SHA256S", "tokens[].sha256", "<caller>=<sha256-hex>,...",
      "bearer tokens given as the hexadecimal SHA-256 of the token (printf %s \"$TOKEN\" |"
          + " sha256sum)", "none"),
  W7S_APP(null, "QUEUES4J_W7S_APP", "w7s.app", "<owner>/<repo>[@<environment>]",
      "the app that declares the w7s.json queues: senders address"
          + " /api/v1/queues/<owner>/<repo>/<queue>", "required with a w7s.json"),
  W7S_CONSUMER_URL(null, "QUEUES4J_W7S_CONSUMER_URL", "w7s.consumer_url", "<url>",
      "the app's base URL: each batch is POSTed to it plus the queue's consumer path",
      "required with a w7s.json"),
  W7S_SIGNING_SECRET(null, "QUEUES4J_W7S_SIGNING_SECRET", "w7s.signing_secret_env", "<secret>",
      "at least 16 bytes that sign each push (X-Queues4j-Signature); in the file: the name of the"
          + " variable that holds it", "required with a w7s.json"),
  W7S_ALLOW(null, "QUEUES4J_W7S_ALLOW", null, "<owner>[/<repo>],...",
      "replaces the w7s.json's \"queue\": {\"allow\": [...]}: other owners or repositories that"
          + " may send", "the w7s.json's list"),
  RATE_LIMIT_REPO(null, "QUEUES4J_RATE_LIMIT_REPO", "rate_limits.repo", "<n>/<unit>,...|off",
      "send limits per caller repository; units s, min, h, d", "100/s,100000/d"),
  RATE_LIMIT_OWNER(null, "QUEUES4J_RATE_LIMIT_OWNER", "rate_limits.owner", "<n>/<unit>,...|off",
      "send limits per caller owner", "500/s,1000000/d"),
  RATE_LIMIT_GLOBAL(null, "QUEUES4J_RATE_LIMIT_GLOBAL", "rate_limits.global",
      "<n>/<unit>,...|off", "send limits for the whole server", "5000/s,10000000/d"),
  ROUTES(null, "QUEUES4J_ROUTES", "routes[]", "<path>=<queue>,...",
      "queue-run enqueue routes: POST <path> puts the body on <queue> (in the file, tables with"
          + " path, queue and accepts, which narrows the content types)", "none"),
  CLOUDFLARE_ACCOUNT_ID(null, "QUEUES4J_CLOUDFLARE_ACCOUNT_ID", "cloudflare.account_id",
      "<32 hex digits>", "serve Cloudflare's Queues REST API for this account under"
          + " /client/v4/accounts/<id>/queues: queues, pull consumers, push, pull, ack", "off"),
  CLOUDFLARE_CALLERS(null, "QUEUES4J_CLOUDFLARE_CALLERS", "cloudflare.callers",
      "<owner>/<repo>[@<environment>],...", "the callers allowed on that API (each needs a"
          + " token); required with an account id", "none"),
  CHECK("--check", null, null, null,
      "check the configuration, print every problem or a summary, and exit 0 or 1 without"
          + " starting", null),
  INSECURE_NO_AUTH("--insecure-no-auth", null, null, null,
      "start without any token configured, accepting the public token queues4j-insecure-no-auth"
          + " (local development only: anyone who can reach the port may send)", null),
  HELP("--help", null, null, null, "print this help and exit", null);

  final @Nullable String flag;
  final @Nullable String env;
  final @Nullable String fileKey;
  final @Nullable String argument;
  final String description;
  final @Nullable String defaultText;

  Setting(
      @Nullable String flag,
      @Nullable String env,
      @Nullable String fileKey,
      @Nullable String argument,
      String description,
      @Nullable String defaultText) {
    this.flag = flag;
    this.env = env;
    this.fileKey = fileKey;
    this.argument = argument;
    this.description = description;
    this.defaultText = defaultText;
  }

  /** Whether the flag takes a value ({@code --port 8080}) rather than being a switch. */
  boolean takesValue() {
    return flag != null && argument != null;
  }

  /** The environment variable's name, for a setting that has one. */
  String variable() {
    if (env == null) {
      throw new IllegalStateException(name() + " has no environment variable");
    }
    return env;
  }

  /** Returns the setting of a flag, or null. */
  static @Nullable Setting ofFlag(String flag) {
    for (Setting s : values()) {
      if (flag.equals(s.flag)) {
        return s;
      }
    }
    return null;
  }

  /** Returns every flag, for suggestions. */
  static List<String> flags() {
    List<String> flags = new ArrayList<>();
    for (Setting s : values()) {
      if (s.flag != null) {
        flags.add(s.flag);
      }
    }
    return flags;
  }

  /** Returns every environment variable, for suggestions. */
  static List<String> envs() {
    List<String> envs = new ArrayList<>();
    for (Setting s : values()) {
      if (s.env != null) {
        envs.add(s.env);
      }
    }
    return envs;
  }
}

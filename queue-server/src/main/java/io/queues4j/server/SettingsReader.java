package io.queues4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.queues4j.config.AllowEntry;
import io.queues4j.config.Problem;
import io.queues4j.http.Caller;
import io.queues4j.http.QueueRunRoute;
import io.queues4j.http.RateLimit;
import io.queues4j.http.RateLimits;
import io.queues4j.sqlite.SqliteStore;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the server's settings from the command line, then the environment, then the {@code
 * [queues4j.server]} table, then the defaults, and collects every problem instead of stopping at
 * the first. A problem names where the value came from (the flag, the variable or the file and
 * key), the limit and the value; secrets are never quoted.
 *
 * <p>An environment variable that is empty counts as unset. A list given by a variable replaces the
 * file's list as a whole (tokens: either token variable replaces every token of the file).
 */
final class SettingsReader {
  static final String COMMAND_LINE = "command line";
  static final String ENVIRONMENT = "environment";

  private static final Pattern ACCOUNT = Pattern.compile("[0-9a-fA-F]{32}");
  private static final Pattern RATE = Pattern.compile("(\\d{1,18})\\s*/\\s*(s|min|h|d)");

  private final CommandLine commandLine;
  private final Map<String, String> env;
  private final @Nullable ServerTable file;
  private final List<Problem> problems;

  /** A setting's value as found, before it is checked. */
  record Raw(String source, String where, @Nullable String text, @Nullable JsonNode node) {}

  SettingsReader(
      CommandLine commandLine, Map<String, String> env, @Nullable ServerTable file, List<Problem> problems) {
    this.commandLine = commandLine;
    this.env = env;
    this.file = file;
    this.problems = problems;
  }

  /** Returns the configuration paths (flag, else variable), or an empty list. */
  static List<String> configs(CommandLine commandLine, Map<String, String> env) {
    if (!commandLine.configs().isEmpty()) {
      List<String> paths = new ArrayList<>();
      commandLine.configs().forEach(c -> paths.addAll(paths(c)));
      return paths;
    }
    String value = env.get(Setting.CONFIG.env);
    return value == null || value.isBlank() ? List.of() : paths(value);
  }

  /** Comma-separated paths (a path may hold spaces). */
  private static List<String> paths(String text) {
    List<String> paths = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      if (!part.isBlank()) {
        paths.add(part.trim());
      }
    }
    return paths;
  }

  /** Returns the wrangler environment (flag, else variable), or null. */
  static @Nullable String wranglerEnvironment(CommandLine commandLine, Map<String, String> env) {
    String flag = commandLine.value(Setting.WRANGLER_ENV);
    if (flag != null) {
      return flag;
    }
    String value = env.get(Setting.WRANGLER_ENV.env);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Reads every setting; problems go to the list given to the constructor. */
  ServerSettings read() {
    StoreOption store = store();
    String host = value(Setting.HOST, "127.0.0.1", r -> {
      String h = string(r).trim();
      if (h.isEmpty()) {
        throw new IllegalArgumentException("must not be blank");
      }
      return h;
    });
    int port = value(Setting.PORT, 8787, this::port);
    Integer probe = optional(Setting.PROBE_PORT, this::port);
    int probePort = probe != null ? probe : port == 0 ? 0 : port + 1;
    if (probe == null && port == 65_535) {
      problems.add(new Problem(COMMAND_LINE, 0, 0, "--probe-port",
          "the probe port defaults to the HTTP port + 1, which is 65536 for port 65535; set it"));
    } else if (port != 0 && probePort == port) {
      problems.add(new Problem(COMMAND_LINE, 0, 0, "--probe-port",
          "the probe port must differ from the HTTP port but both were " + port));
    }
    Duration grace = value(Setting.GRACE_PERIOD, Duration.ofSeconds(20), this::gracePeriod);
    ServerSettings.Tls tls = tls();
    List<ServerSettings.Token> tokens = new TokenReader(env, file, problems).read();
    ServerSettings.W7sApp w7s = w7sApp();
    List<String> allow = optional(Setting.W7S_ALLOW, r -> {
      List<String> entries = list(r);
      for (String e : entries) {
        AllowEntry.parse(e);
      }
      return entries;
    });
    RateLimits rateLimits =
        RateLimits.builder()
            .perRepo(rates(Setting.RATE_LIMIT_REPO, RateLimits.defaults().perRepo()))
            .perOwner(rates(Setting.RATE_LIMIT_OWNER, RateLimits.defaults().perOwner()))
            .global(rates(Setting.RATE_LIMIT_GLOBAL, RateLimits.defaults().global()))
            .build();
    return new ServerSettings(
        configs(commandLine, env),
        wranglerEnvironment(commandLine, env),
        store,
        host,
        port,
        probePort,
        grace,
        tls,
        tokens,
        w7s,
        allow,
        rateLimits,
        routes(),
        cloudflare(),
        commandLine.insecureNoAuth());
  }

  // ---- finding values ------------------------------------------------------------------------

  /** The value of a setting by precedence, or null when nowhere set. */
  private @Nullable Raw raw(Setting setting) {
    if (setting.flag != null) {
      String v = commandLine.value(setting);
      if (v != null) {
        return new Raw(COMMAND_LINE, setting.flag, v, null);
      }
    }
    if (setting.env != null) {
      String v = env.get(setting.env);
      if (v != null && !v.isBlank()) {
        return new Raw(ENVIRONMENT, setting.env, v, null);
      }
    }
    if (file != null && setting.fileKey != null && !setting.fileKey.contains("[]")) {
      JsonNode node = file.get(setting.fileKey);
      if (node != null) {
        return new Raw(file.source, setting.fileKey, null, node);
      }
    }
    return null;
  }

  /** Reads and checks a setting; a bad value is a problem, and the default stands in for it. */
  private <T> T value(Setting setting, T fallback, Function<Raw, T> parse) {
    T value = optional(setting, parse);
    return value != null ? value : fallback;
  }

  /** Reads and checks a setting; null when unset or bad (then a problem is recorded). */
  private <T> @Nullable T optional(Setting setting, Function<Raw, T> parse) {
    Raw raw = raw(setting);
    if (raw == null) {
      return null;
    }
    try {
      return parse.apply(raw);
    } catch (IllegalArgumentException e) {
      problem(raw, String.valueOf(e.getMessage()));
      return null;
    }
  }

  private void problem(Raw raw, String message) {
    if (raw.node != null && file != null) {
      problems.add(file.problem(raw.where, message));
    } else {
      problems.add(new Problem(raw.source, 0, 0, raw.where, message));
    }
  }

  // ---- value types ---------------------------------------------------------------------------

  static String string(Raw r) {
    if (r.text != null) {
      return r.text;
    }
    JsonNode n = java.util.Objects.requireNonNull(r.node);
    if (!n.isTextual()) {
      throw new IllegalArgumentException("must be a string but was " + ServerTable.describe(n));
    }
    return n.textValue();
  }

  /** An array of strings (or one string) from the file; a comma-separated list from text. */
  private static List<String> list(Raw r) {
    if (r.text != null) {
      return split(r.text);
    }
    JsonNode n = java.util.Objects.requireNonNull(r.node);
    if (n.isTextual()) {
      return split(n.textValue());
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException("must be an array of strings but was " + ServerTable.describe(n));
    }
    List<String> values = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        throw new IllegalArgumentException("must be an array of strings but has " + ServerTable.describe(e));
      }
      values.add(e.textValue().trim());
    }
    return values;
  }

  static List<String> split(String text) {
    List<String> values = new ArrayList<>();
    for (String part : text.split("[,\\s]+", -1)) {
      if (!part.isEmpty()) {
        values.add(part);
      }
    }
    return values;
  }

  private static BigDecimal number(Raw r) {
    if (r.text != null) {
      try {
        return new BigDecimal(r.text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a number but was '" + truncate(r.text) + "'");
      }
    }
    JsonNode n = java.util.Objects.requireNonNull(r.node);
    if (!n.isNumber()) {
      throw new IllegalArgumentException("must be a number but was " + ServerTable.describe(n));
    }
    return n.decimalValue();
  }

  private int port(Raw r) {
    BigDecimal n = number(r);
    if (n.signum() < 0 || n.compareTo(BigDecimal.valueOf(65_535)) > 0 || n.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("must be a whole number from 0 to 65535 but was " + n.toPlainString());
    }
    return n.intValueExact();
  }

  private Duration gracePeriod(Raw r) {
    BigDecimal seconds = number(r);
    if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(3_600)) > 0) {
      throw new IllegalArgumentException("must be 0 to 3600 seconds but was " + seconds.toPlainString());
    }
    BigDecimal millis = seconds.movePointRight(3);
    if (millis.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("must be seconds with at most millisecond precision but was " + seconds.toPlainString());
    }
    return Duration.ofMillis(millis.longValueExact());
  }

  static String truncate(String value) {
    String clean = value.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 60 ? clean : clean.substring(0, 60) + "...";
  }

  /** Parses {@code owner/repo[@environment]}; the environment defaults to production. */
  static Caller caller(String spec) {
    String s = spec.trim();
    int at = s.indexOf('@');
    String repository = at < 0 ? s : s.substring(0, at);
    String environment = at < 0 ? "production" : s.substring(at + 1);
    int slash = repository.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "a caller must be owner/repo or owner/repo@environment but was '" + truncate(s) + "'");
    }
    return new Caller(repository.substring(0, slash), repository.substring(slash + 1), environment);
  }

  // ---- the store ----------------------------------------------------------------------------

  /**
   * The store and its settings. A setting of another store than the chosen one is a problem (it
   * would be ignored); when the store itself is bad, the in-memory store stands in and its
   * settings are not checked against it.
   */
  private StoreOption store() {
    Raw chosen = raw(Setting.STORE);
    StoreOption store = optional(Setting.STORE, r -> StoreOption.parse(string(r)));
    if (store == null && chosen == null) {
      try {
        store = StoreOption.defaults();
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(COMMAND_LINE, 0, 0, "--store", "the default store: " + e.getMessage()));
      }
    }
    SqliteStore.Durability durability =
        optional(Setting.SQLITE_DURABILITY, r -> StoreOption.durability(string(r)));
    String schema = optional(Setting.POSTGRES_SCHEMA, r -> StoreOption.schema(string(r)));
    Integer connections = optional(Setting.POSTGRES_MAX_CONNECTIONS, r -> {
      BigDecimal n = number(r);
      if (n.compareTo(BigDecimal.valueOf(2)) < 0 || n.compareTo(BigDecimal.valueOf(65)) > 0
          || n.stripTrailingZeros().scale() > 0) {
        throw new IllegalArgumentException("must be a whole number from 2 to 65 but was " + n.toPlainString());
      }
      return n.intValueExact();
    });
    String password = secret(Setting.POSTGRES_PASSWORD, 1);
    if (store == null) {
      return StoreOption.MEMORY;
    }
    if (store.kind() == StoreOption.Kind.SQLITE) {
      if (durability != null) {
        store = store.withDurability(durability);
      }
    } else {
      notFor(store, Setting.SQLITE_DURABILITY, durability != null);
    }
    if (store.kind() == StoreOption.Kind.POSTGRES) {
      store = store.withPostgres(schema != null ? schema : StoreOption.DEFAULT_SCHEMA, password,
          connections != null ? connections : StoreOption.DEFAULT_CONNECTIONS);
    } else {
      notFor(store, Setting.POSTGRES_SCHEMA, schema != null);
      notFor(store, Setting.POSTGRES_MAX_CONNECTIONS, connections != null);
      notFor(store, Setting.POSTGRES_PASSWORD, password != null);
    }
    return store;
  }

  /** Reports a store setting that was given for another store. */
  private void notFor(StoreOption store, Setting setting, boolean given) {
    Raw raw = raw(setting);
    if (!given || raw == null) {
      if (given && setting.env != null) { // a secret named by the file's key
        problems.add(new Problem(ENVIRONMENT, 0, 0, setting.env, otherStore(store, setting)));
      }
      return;
    }
    problem(raw, otherStore(store, setting));
  }

  private static String otherStore(StoreOption store, Setting setting) {
    String kind = setting.name().startsWith("SQLITE") ? "sqlite:" : "postgres:";
    return "is a setting of a " + kind + " store, but the store is " + store + "; remove it or change the store";
  }

  // ---- TLS, tokens, W7S ----------------------------------------------------------------------

  private ServerSettings.@Nullable Tls tls() {
    Path keyStore = optional(Setting.TLS_KEYSTORE, r -> {
      Path p = Path.of(string(r));
      if (r.node != null && file != null && !p.isAbsolute()) {
        p = file.directory.resolve(p);
      }
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("key store " + p + " is not a file");
      }
      return p;
    });
    String password = secret(Setting.TLS_PASSWORD, 0);
    if (keyStore == null) {
      return null;
    }
    return new ServerSettings.Tls(keyStore, password == null ? "" : password);
  }

  /**
   * A secret: the variable itself, else the file's key naming the variable that holds it. Returns
   * null when neither is set, or when the secret is shorter than {@code minBytes} (a problem).
   */
  private @Nullable String secret(Setting setting, int minBytes) {
    String variable = setting.env;
    String value = variable == null ? null : env.get(variable);
    Raw origin = new Raw(ENVIRONMENT, String.valueOf(variable), null, null);
    if ((value == null || value.isEmpty()) && file != null && setting.fileKey != null) {
      JsonNode name = file.get(setting.fileKey);
      if (name == null) {
        return null;
      }
      origin = new Raw(file.source, setting.fileKey, null, name);
      try {
        variable = string(origin);
      } catch (IllegalArgumentException e) {
        problem(origin, String.valueOf(e.getMessage()));
        return null;
      }
      value = env.get(variable);
      if (value == null || value.isEmpty()) {
        problem(origin, "names the variable " + truncate(variable) + ", which is not set");
        return null;
      }
    }
    if (value == null || value.isEmpty()) {
      return null;
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < minBytes) {
      problem(origin, "the secret in " + variable + " must be at least " + minBytes + " bytes but was " + bytes);
      return null;
    }
    return value;
  }

  private ServerSettings.@Nullable W7sApp w7sApp() {
    Caller app = optional(Setting.W7S_APP, r -> caller(string(r)));
    URI url = optional(Setting.W7S_CONSUMER_URL, r -> {
      String text = string(r).trim();
      try {
        URI u = new URI(text);
        if (u.getScheme() == null
            || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
            || u.getHost() == null || u.getRawQuery() != null || u.getRawFragment() != null) {
          throw new IllegalArgumentException(
              "must be an absolute http(s) URL without query or fragment but was '" + truncate(text) + "'");
        }
        return u;
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("must be a URL but was '" + truncate(text) + "'");
      }
    });
    String secret = secret(Setting.W7S_SIGNING_SECRET, 16);
    if (app == null) {
      if (url != null || secret != null) {
        problems.add(new Problem(ENVIRONMENT, 0, 0, Setting.W7S_APP.env + " / " + ServerTable.PREFIX + "." + Setting.W7S_APP.fileKey,
            "a W7S consumer URL or signing secret is set but no W7S app (owner/repo[@environment])"));
      }
      return null;
    }
    return new ServerSettings.W7sApp(app, url, secret);
  }

  // ---- rate limits, routes, Cloudflare -------------------------------------------------------

  private RateLimit[] rates(Setting setting, List<RateLimit> defaults) {
    List<RateLimit> limits = value(setting, defaults, r -> {
      List<String> entries = list(r);
      if ((entries.size() == 1 && entries.get(0).equalsIgnoreCase("off")) || (r.node != null && entries.isEmpty())) {
        return List.of();
      }
      if (entries.isEmpty()) {
        throw new IllegalArgumentException("must list limits such as 100/s,100000/d, or be off");
      }
      List<RateLimit> parsed = new ArrayList<>();
      for (String e : entries) {
        var m = RATE.matcher(e);
        if (!m.matches()) {
          throw new IllegalArgumentException(
              "a rate limit must be <permits>/<unit> with unit s, min, h or d (e.g. 100/s), or off,"
                  + " but was '" + truncate(e) + "'");
        }
        long permits = Long.parseLong(m.group(1));
        Duration window = switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(1);
          case "min" -> Duration.ofMinutes(1);
          case "h" -> Duration.ofHours(1);
          default -> Duration.ofDays(1);
        };
        parsed.add(new RateLimit(permits, window));
      }
      return parsed;
    });
    return limits.toArray(RateLimit[]::new);
  }

  private List<QueueRunRoute> routes() {
    List<QueueRunRoute> routes = new ArrayList<>();
    String variable = env.get(Setting.ROUTES.variable());
    if (variable != null && !variable.isBlank()) {
      List<String> entries = split(variable);
      for (int i = 0; i < entries.size(); i++) {
        String entry = entries.get(i);
        int eq = entry.indexOf('=');
        try {
          if (eq <= 0) {
            throw new IllegalArgumentException("must be <path>=<queue> but was '" + truncate(entry) + "'");
          }
          routes.add(QueueRunRoute.of(entry.substring(0, eq), entry.substring(eq + 1)));
        } catch (IllegalArgumentException e) {
          problems.add(new Problem(ENVIRONMENT, 0, 0, Setting.ROUTES.variable() + " entry " + (i + 1),
              String.valueOf(e.getMessage())));
        }
      }
      return routes;
    }
    JsonNode list = file == null ? null : file.get("routes");
    if (file == null || list == null || !list.isArray()) {
      return routes;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode t = list.get(i);
      String key = "routes[" + i + "]";
      if (!t.isObject()) {
        continue; // ServerTable.checkKeys reported it
      }
      JsonNode path = t.get("path");
      JsonNode queue = t.get("queue");
      if (path == null || queue == null) {
        problems.add(file.problem(key, "a route needs \"path\" and \"queue\""));
        continue;
      }
      Raw raw = new Raw(file.source, key, null, t);
      try {
        QueueRunRoute route =
            QueueRunRoute.of(string(new Raw(file.source, key + ".path", null, path)),
                string(new Raw(file.source, key + ".queue", null, queue)));
        JsonNode accepts = t.get("accepts");
        if (accepts != null) {
          route = route.accepting(list(new Raw(file.source, key + ".accepts", null, accepts)).toArray(String[]::new));
        }
        routes.add(route);
      } catch (IllegalArgumentException e) {
        problem(raw, String.valueOf(e.getMessage()));
      }
    }
    return routes;
  }

  private ServerSettings.@Nullable Cloudflare cloudflare() {
    String account = optional(Setting.CLOUDFLARE_ACCOUNT_ID, r -> {
      String a = string(r).trim();
      if (!ACCOUNT.matcher(a).matches()) {
        throw new IllegalArgumentException("an account id must be 32 hexadecimal digits but was '" + truncate(a) + "'");
      }
      return a.toLowerCase(Locale.ROOT);
    });
    List<Caller> callers = value(Setting.CLOUDFLARE_CALLERS, List.of(), r -> {
      List<Caller> c = new ArrayList<>();
      for (String spec : list(r)) {
        c.add(caller(spec));
      }
      return c;
    });
    if (account == null) {
      if (!callers.isEmpty()) {
        problems.add(new Problem(ENVIRONMENT, 0, 0, Setting.CLOUDFLARE_CALLERS.variable(),
            "Cloudflare callers are set but no account id (" + Setting.CLOUDFLARE_ACCOUNT_ID.variable() + ")"));
      }
      return null;
    }
    return new ServerSettings.Cloudflare(account, callers);
  }
}

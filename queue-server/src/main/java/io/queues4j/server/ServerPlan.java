package io.queues4j.server;

import io.queues4j.config.AllowEntry;
import io.queues4j.config.ConfigFormat;
import io.queues4j.config.ConsumerDeclaration;
import io.queues4j.config.Problem;
import io.queues4j.config.QueueConfig;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.PullSettings;
import io.queues4j.core.QueueEngine;
import io.queues4j.core.QueueSettings;
import io.queues4j.http.Caller;
import io.queues4j.http.QueueHttpServer;
import io.queues4j.http.QueueRunRoute;
import io.queues4j.http.W7sQueue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the server serves, derived from the loaded files and the settings: the engine queues to
 * declare, the W7S queues with their push consumers, the queue-run routes and the pull consumers;
 * and every problem that keeps the combination from starting.
 *
 * <p><b>Wiring.</b> A wrangler file's queues are declared under their own names. A {@code
 * w7s.json}'s queues become {@link W7sQueue}s of the configured app (engine queue {@code
 * w7s:<owner>/<repo>/<environment>/<name>}), each pushed to the app's consumer URL plus the queue's
 * consumer path; a dead-letter queue that is itself one of the file's W7S queues is addressed by
 * its engine name, any other is declared under its own name and holds the dead letters. A wrangler
 * consumer, {@code worker} or {@code http_pull}, is attached as a pull consumer: a server has no
 * Worker code to run, and the Cloudflare REST API's pull and ack routes let any process consume.
 */
final class ServerPlan {
  /** The caller of the public token of {@code --insecure-no-auth} when no W7S app is configured. */
  static final Caller INSECURE_CALLER = new Caller("local", "insecure", "production");

  /**
   * A consumer that clients pull from.
   *
   * @param declaration the file's declaration
   * @param source the file
   */
  record PullConsumer(ConsumerDeclaration declaration, String source) {}

  final ServerSettings settings;
  final List<ConfigFiles.Loaded> files;
  final Map<String, QueueSettings> queues = new LinkedHashMap<>();
  final List<W7sQueue> w7sQueues = new ArrayList<>();
  final List<PullConsumer> pullConsumers = new ArrayList<>();

  private ServerPlan(ServerSettings settings, List<ConfigFiles.Loaded> files) {
    this.settings = settings;
    this.files = List.copyOf(files);
  }

  /**
   * Plans the server; problems found in the combination are added to {@code problems}. When a
   * file could not be loaded ({@code complete} false), checks that need every file's queues are
   * left out, so as not to report a route to a queue the broken file declares.
   */
  static ServerPlan of(
      ServerSettings settings, List<ConfigFiles.Loaded> files, boolean complete, List<Problem> problems) {
    ServerPlan plan = new ServerPlan(settings, files);
    Map<String, String> declaredBy = new LinkedHashMap<>();
    ConfigFiles.Loaded w7sFile = null;
    for (ConfigFiles.Loaded f : files) {
      QueueConfig config = f.config();
      if (config.format() == ConfigFormat.W7S_JSON) {
        if (w7sFile != null) {
          problems.add(new Problem(f.file().toString(), 0, 0, "",
              "a server serves one W7S app, but " + w7sFile.file() + " is a w7s.json too"));
          continue;
        }
        w7sFile = f;
        plan.planW7s(f, declaredBy, problems);
      } else {
        config.queues().forEach((name, s) -> plan.declare(name, s, f, declaredBy, problems));
        for (ConsumerDeclaration c : config.consumers().values()) {
          plan.pullConsumers.add(new PullConsumer(c, f.file().toString()));
        }
      }
    }
    if (complete) {
      plan.checkRoutes(problems);
    }
    plan.checkAuth(problems);
    plan.checkCloudflare(problems);
    return plan;
  }

  private void declare(
      String name, QueueSettings s, ConfigFiles.Loaded f, Map<String, String> declaredBy, List<Problem> problems) {
    QueueSettings before = queues.putIfAbsent(name, s);
    if (before == null) {
      declaredBy.put(name, f.file().toString());
    } else if (!before.equals(s)) {
      problems.add(new Problem(f.file().toString(), 0, 0, "",
          "queue '" + name + "' is declared with other settings by " + declaredBy.get(name) + ": " + before
              + " there, " + s + " here"));
    }
  }

  private void planW7s(ConfigFiles.Loaded f, Map<String, String> declaredBy, List<Problem> problems) {
    QueueConfig config = f.config();
    String source = f.file().toString();
    ServerSettings.W7sApp app = settings.w7s();
    if (app == null || app.consumerUrl() == null || app.signingSecret() == null) {
      List<String> missing = new ArrayList<>();
      if (app == null) {
        missing.add("the app (" + Setting.W7S_APP.env + "=owner/repo[@environment])");
      }
      if (app == null || app.consumerUrl() == null) {
        missing.add("its base URL (" + Setting.W7S_CONSUMER_URL.env + ")");
      }
      if (app == null || app.signingSecret() == null) {
        missing.add("the push signing secret (" + Setting.W7S_SIGNING_SECRET.env + ")");
      }
      problems.add(new Problem(source, 0, 0, "",
          "a w7s.json needs " + String.join(", ", missing) + ", in the environment or in"
              + " [queues4j.server.w7s] (app, consumer_url, signing_secret_env)"));
      return;
    }
    Caller caller = app.app();
    Map<String, String> engineNames = new LinkedHashMap<>();
    for (String name : config.consumers().keySet()) {
      try {
        engineNames.put(name, W7sQueue.builder(caller.owner(), caller.repo(), name).environment(caller.environment())
            .build().engineQueueName());
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(source, 0, 0, "queues", String.valueOf(e.getMessage())));
      }
    }
    List<String> allow = settings.allowOverride() != null
        ? settings.allowOverride()
        : config.allowlist().stream().map(AllowEntry::toString).toList();
    for (ConsumerDeclaration c : config.consumers().values()) {
      if (!engineNames.containsKey(c.queue())) {
        continue;
      }
      ConsumerSettings consumer = c.settings();
      String dlq = consumer.deadLetterQueue().orElse(null);
      if (dlq != null && engineNames.containsKey(dlq)) {
        consumer = consumer.toBuilder().deadLetterQueue(engineNames.get(dlq)).build();
      }
      try {
        W7sQueue.Builder b = W7sQueue.builder(caller.owner(), caller.repo(), c.queue())
            .environment(caller.environment())
            .allow(allow.toArray(String[]::new))
            .queueSettings(config.queues().getOrDefault(c.queue(), QueueSettings.defaults()))
            .consumerSettings(consumer)
            .consumerUrl(java.util.Objects.requireNonNull(app.consumerUrl()))
            .signingSecret(java.util.Objects.requireNonNull(app.signingSecret()).getBytes(StandardCharsets.UTF_8));
        c.path().ifPresent(b::consumerPath);
        w7sQueues.add(b.build());
      } catch (IllegalArgumentException | IllegalStateException e) {
        problems.add(new Problem(source, 0, 0, "queues." + c.queue(), String.valueOf(e.getMessage())));
      }
    }
    config.queues().forEach((name, s) -> {
      if (!engineNames.containsKey(name)) {
        declare(name, s, f, declaredBy, problems); // a dead-letter queue outside the app's queues
      }
    });
  }

  private void checkRoutes(List<Problem> problems) {
    Set<String> targets = new java.util.LinkedHashSet<>(queues.keySet());
    w7sQueues.forEach(q -> targets.add(q.engineQueueName()));
    List<String> paths = new ArrayList<>();
    for (QueueRunRoute r : settings.routes()) {
      if (!targets.contains(r.queue())) {
        problems.add(new Problem(serverSource(), 0, 0, ServerTable.PREFIX + ".routes",
            "route POST " + r.path() + " sends to queue '" + r.queue() + "', which no configuration file declares"
                + Spelling.suggest(r.queue(), targets) + "; declared: " + String.join(", ", targets)));
      }
      if (paths.contains(r.path())) {
        problems.add(new Problem(serverSource(), 0, 0, ServerTable.PREFIX + ".routes",
            "route POST " + r.path() + " is declared twice"));
      }
      paths.add(r.path());
    }
  }

  private void checkAuth(List<Problem> problems) {
    if (settings.tokens().isEmpty() && !settings.insecureNoAuth()) {
      problems.add(new Problem(SettingsReader.ENVIRONMENT, 0, 0, Setting.TOKENS.variable(),
          "no bearer token is configured, and the server refuses to start without one: set "
              + Setting.TOKENS.env + " or " + Setting.TOKEN_SHA256S.env + ", or add [[queues4j.server.tokens]];"
              + " for local development only, --insecure-no-auth starts without"));
    }
    if (!settings.tokens().isEmpty() && settings.insecureNoAuth()) {
      problems.add(new Problem(SettingsReader.COMMAND_LINE, 0, 0, "--insecure-no-auth",
          "--insecure-no-auth was given but " + settings.tokens().size()
              + " token(s) are configured; remove one or the other"));
    }
  }

  private void checkCloudflare(List<Problem> problems) {
    ServerSettings.Cloudflare cloudflare = settings.cloudflare();
    if (cloudflare == null) {
      return;
    }
    if (cloudflare.callers().isEmpty() && !settings.insecureNoAuth()) {
      problems.add(new Problem(SettingsReader.ENVIRONMENT, 0, 0, Setting.CLOUDFLARE_CALLERS.variable(),
          "the Cloudflare REST API needs the callers allowed on it (owner/repo[@environment], each with a token)"));
    }
    Set<Caller> withTokens = new java.util.HashSet<>();
    settings.tokens().forEach(t -> withTokens.add(t.caller()));
    for (Caller c : cloudflare.callers()) {
      if (!withTokens.contains(c) && !settings.tokens().isEmpty()) {
        problems.add(new Problem(SettingsReader.ENVIRONMENT, 0, 0, Setting.CLOUDFLARE_CALLERS.variable(),
            "no token is configured for the Cloudflare caller " + c.repository() + "@" + c.environment()));
      }
    }
  }

  /** The file that holds the server table, for problems of its keys. */
  private String serverSource() {
    for (ConfigFiles.Loaded f : files) {
      if (f.server() != null) {
        return f.file().toString();
      }
    }
    return SettingsReader.COMMAND_LINE;
  }

  /** The caller of the public insecure token. */
  Caller insecureCaller() {
    ServerSettings.W7sApp app = settings.w7s();
    return app != null ? app.app() : INSECURE_CALLER;
  }

  /**
   * Declares the plain engine queues and attaches the pull consumers; the HTTP server declares
   * the W7S queues when it starts.
   *
   * @throws IllegalStateException if a queue exists with other settings or already has a consumer
   */
  void declareQueues(QueueEngine engine) {
    queues.forEach(engine::declareQueue);
    for (PullConsumer p : pullConsumers) {
      engine.attachPullConsumer(p.declaration().queue(), pullSettings(p.declaration()));
    }
  }

  /** A wrangler consumer's settings as a pull consumer's: the batch size is a pull's default. */
  static PullSettings pullSettings(ConsumerDeclaration d) {
    ConsumerSettings c = d.settings();
    PullSettings.Builder b = PullSettings.builder()
        .batchSize(c.maxBatchSize())
        .maxRetries(c.maxRetries())
        .retryDelay(c.retryDelay());
    d.visibilityTimeout().ifPresent(b::visibilityTimeout);
    c.deadLetterQueue().ifPresent(b::deadLetterQueue);
    return b.build();
  }

  /**
   * Configures the HTTP server: address, TLS, tokens, rate limits, W7S queues and routes.
   *
   * @throws IllegalArgumentException if the HTTP layer refuses a setting
   */
  QueueHttpServer.Builder configure(QueueHttpServer.Builder b) {
    b.host(settings.host()).port(settings.port()).rateLimits(settings.rateLimits());
    ServerSettings.Tls tls = settings.tls();
    if (tls != null) {
      b.tls(tls.keyStore(), tls.password());
    }
    for (ServerSettings.Token t : settings.tokens()) {
      b.tokenSha256(t.sha256Hex(), t.caller());
    }
    if (settings.tokens().isEmpty() && settings.insecureNoAuth()) {
      b.token(ServerSettings.INSECURE_TOKEN, insecureCaller());
    }
    w7sQueues.forEach(b::w7sQueue);
    settings.routes().forEach(b::queueRunRoute);
    ServerSettings.Cloudflare cloudflare = settings.cloudflare();
    if (cloudflare != null) {
      Set<Caller> callers = new java.util.LinkedHashSet<>(cloudflare.callers());
      if (settings.tokens().isEmpty() && settings.insecureNoAuth()) {
        callers.add(insecureCaller());
      }
      b.cloudflareApi(cloudflare.accountId(), callers.toArray(Caller[]::new));
    }
    return b;
  }
}

package io.queues4j.server;

import io.queues4j.config.ConfigFormat;
import io.queues4j.config.ConsumerType;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.PullSettings;
import io.queues4j.http.QueueRunRoute;
import io.queues4j.http.W7sQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The startup banner: what the server serves and where, one fact per line, and the warnings about
 * declarations it cannot serve. {@code --check} prints the same summary without the addresses.
 */
final class Banner {
  private Banner() {}

  /** The banner of a started server. */
  static String text(ServerPlan plan, int port, int probePort) {
    ServerSettings s = plan.settings;
    String scheme = s.tls() != null ? "https" : "http";
    List<String> lines = new ArrayList<>(summary(plan));
    String w7s = plan.w7sQueues.isEmpty() ? "" : " (W7S sends: POST /api/v1/queues/" + plan.w7sQueues.get(0).owner()
        + "/" + plan.w7sQueues.get(0).repo() + "/<queue>)";
    lines.add(row("listening", scheme + "://" + s.host() + ":" + port + w7s));
    ServerSettings.Cloudflare cloudflare = s.cloudflare();
    if (cloudflare != null) {
      lines.add(row("REST API", scheme + "://" + s.host() + ":" + port + "/client/v4/accounts/" + cloudflare.accountId()
          + "/queues (Cloudflare's Queues REST API)"));
    }
    lines.add(row("probes", "http://" + s.host() + ":" + probePort + "/healthz and /readyz (no token)"));
    lines.add(row("shutdown", "on SIGTERM, batches in flight get up to " + seconds(s.gracePeriod()) + " to finish"));
    return "queues4j server " + version() + " ready\n" + String.join("\n", lines);
  }

  /** The summary lines: files, store, queues, consumers, routes, authentication. */
  static List<String> summary(ServerPlan plan) {
    ServerSettings s = plan.settings;
    List<String> lines = new ArrayList<>();
    lines.add(row("config", plan.files.stream()
        .map(f -> f.file() + " (" + format(f.config().format()) + ")")
        .collect(Collectors.joining(", "))
        + (s.wranglerEnvironment() == null ? "" : ", environment " + s.wranglerEnvironment())));
    lines.add(row("store", s.store().describe()));
    plan.queues.forEach((name, settings) -> {
      ServerPlan.PullConsumer pull = plan.pullConsumers.stream()
          .filter(p -> p.declaration().queue().equals(name)).findFirst().orElse(null);
      lines.add(row("queue", name + (pull == null ? "" : ": " + kind(pull.declaration().type()) + " consumer, served as a"
          + " pull consumer (" + pull(ServerPlan.pullSettings(pull.declaration())) + ")")));
    });
    for (W7sQueue q : plan.w7sQueues) {
      lines.add(row("W7S queue", q.engineQueueName() + ": push to " + q.consumerUri().map(Object::toString).orElse("nobody")
          + " (" + consumer(q.consumerSettings()) + ")" + (q.allow().isEmpty() ? "" : ", also allowed: " + String.join(", ", q.allow()))));
    }
    for (QueueRunRoute r : s.routes()) {
      lines.add(row("route", "POST " + r.path() + " -> " + r.queue()));
    }
    ServerSettings.Cloudflare cloudflare = s.cloudflare();
    if (cloudflare != null) {
      lines.add(row("cloudflare", "account " + cloudflare.accountId() + ", callers: "
          + cloudflare.callers().stream().map(Banner::describe).collect(Collectors.joining(", "))));
    }
    if (s.tokens().isEmpty()) {
      lines.add(row("auth", "INSECURE: no token configured; anyone who can reach the port may send with"
          + " 'Authorization: Bearer " + ServerSettings.INSECURE_TOKEN + "' as " + describe(plan.insecureCaller())));
    } else {
      lines.add(row("auth", s.tokens().size() + (s.tokens().size() == 1 ? " token: " : " tokens: ")
          + s.tokens().stream().map(t -> describe(t.caller())).distinct().collect(Collectors.joining(", "))));
    }
    return lines;
  }

  /** Declarations the server accepts but does not serve as configured, one sentence each. */
  static List<String> warnings(ServerPlan plan) {
    List<String> warnings = new ArrayList<>();
    if (plan.settings.cloudflare() != null) {
      return warnings;
    }
    for (ServerPlan.PullConsumer p : plan.pullConsumers) {
      warnings.add("queue '" + p.declaration().queue() + "' has a " + kind(p.declaration().type()) + " consumer in "
          + p.source() + ": the server serves it as a pull consumer over Cloudflare's REST API, which is off"
          + " (set " + Setting.CLOUDFLARE_ACCOUNT_ID.env + " and " + Setting.CLOUDFLARE_CALLERS.env
          + "); until then its messages wait in the queue");
    }
    return warnings;
  }

  private static String kind(ConsumerType type) {
    return type == ConsumerType.HTTP_PULL ? "http_pull" : "worker";
  }

  private static String consumer(ConsumerSettings c) {
    return "batch " + c.maxBatchSize() + ", retries " + c.maxRetries() + ", retry delay " + seconds(c.retryDelay())
        + c.deadLetterQueue().map(d -> ", dead letters to " + d).orElse("");
  }

  private static String pull(PullSettings p) {
    return "batch " + p.batchSize() + ", visibility timeout " + seconds(p.visibilityTimeout()) + ", retries "
        + p.maxRetries() + ", retry delay " + seconds(p.retryDelay())
        + p.deadLetterQueue().map(d -> ", dead letters to " + d).orElse("");
  }

  private static String describe(io.queues4j.http.Caller c) {
    return c.repository() + "@" + c.environment();
  }

  private static String format(ConfigFormat f) {
    return switch (f) {
      case WRANGLER_TOML -> "wrangler TOML";
      case WRANGLER_JSON -> "wrangler JSON";
      case W7S_JSON -> "W7S";
    };
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
  }

  private static String row(String label, String value) {
    return "  " + String.format("%-10s", label) + " " + value;
  }

  static String version() {
    String v = Banner.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }
}

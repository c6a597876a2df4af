package io.queues4j.http;

import static io.queues4j.http.CloudflareErrors.invalid;
import static io.queues4j.http.CloudflareJson.optBoolean;
import static io.queues4j.http.CloudflareJson.optInt;
import static io.queues4j.http.CloudflareJson.optObject;
import static io.queues4j.http.CloudflareJson.optString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queues4j.http.QueueBackend.ConsumerInfo;
import io.queues4j.http.QueueBackend.PullSettings;
import io.queues4j.http.QueueBackend.QueueConfig;
import io.queues4j.http.QueueBackend.QueueInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/**
 * The Cloudflare face: the subset of Cloudflare's Queues REST API (v4) that the official clients
 * use, under {@code /client/v4/accounts/{account_id}/queues}, over a {@link QueueBackend}. This
 * class serves the queue, consumer, metrics and purge routes; {@link CloudflareMessages} the
 * message routes.
 *
 * <p>Every request is checked in this order: bearer token (401, by the root handler), the token's
 * caller allowed on this face (403, code 10000), the account id (404 and 7003 if it is not 32
 * hexadecimal digits, 403 and 10000 if it is another account), the queue id's shape (400, 10107),
 * then the body. All answers use Cloudflare's v4 envelope.
 */
final class CloudflareFace implements Face {
  static final String PREFIX = "/client/v4/";
  static final String QUEUES = "/client/v4/accounts/{account_id}/queues";
  static final String QUEUE = QUEUES + "/{queue_id}";
  /** Request bodies of this face are read up to 2 MiB: a full batch, JSON-escaped, fits. */
  static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;

  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9a-fA-F]{32}");
  private static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z0-9]{1,64}");
  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,63}");
  private static final long MAX_RETENTION = Duration.ofDays(14).toSeconds();
  private static final int MAX_PER_PAGE = 1_000;
  private static final int DEFAULT_PER_PAGE = 100;

  private final String accountId;
  private final Set<Caller> callers;
  private final QueueBackend backend;
  private final CloudflareMessages messages;

  CloudflareFace(String accountId, Set<Caller> callers, QueueBackend backend, RateLimiter rateLimiter) {
    if (!ACCOUNT_ID.matcher(accountId).matches()) {
      throw new IllegalArgumentException(
          "accountId must be 32 hexadecimal digits but was '" + RootHandler.truncate(accountId) + "'");
    }
    if (callers.isEmpty()) {
      throw new IllegalArgumentException("at least one caller must be allowed on the Cloudflare API");
    }
    this.accountId = accountId.toLowerCase(Locale.ROOT);
    this.callers = Set.copyOf(callers);
    this.backend = backend;
    this.messages = new CloudflareMessages(this, backend, rateLimiter);
  }

  @Override
  public void addRoutes(Router router) {
    router.errorFormat(PREFIX, CloudflareErrors::render);
    router.add("POST", QUEUES, true, this::createQueue);
    router.add("GET", QUEUES, true, this::listQueues);
    router.add("GET", QUEUE, true, this::getQueue);
    router.add("PUT", QUEUE, true, ex -> updateQueue(ex, false));
    router.add("PATCH", QUEUE, true, ex -> updateQueue(ex, true));
    router.add("DELETE", QUEUE, true, this::deleteQueue);
    router.add("GET", QUEUE + "/metrics", true, this::metrics);
    router.add("POST", QUEUE + "/purge", true, this::purge);
    router.add("GET", QUEUE + "/purge", true, this::purgeStatus);
    router.add("POST", QUEUE + "/consumers", true, this::createConsumer);
    router.add("GET", QUEUE + "/consumers", true, this::listConsumers);
    router.add("GET", QUEUE + "/consumers/{consumer_id}", true, this::getConsumer);
    router.add("PUT", QUEUE + "/consumers/{consumer_id}", true, this::replaceConsumer);
    router.add("DELETE", QUEUE + "/consumers/{consumer_id}", true, this::deleteConsumer);
    messages.addRoutes(router);
  }

  /** Checks the caller and the account id; returns the caller. */
  Caller authorize(Exchange ex) throws HttpError {
    Caller caller = ex.caller();
    if (!callers.contains(caller)) {
      throw CloudflareErrors.error(
          403,
          CloudflareErrors.AUTHENTICATION,
          "Authentication error: the token of " + caller.repository()
              + " is not allowed to use the Cloudflare API");
    }
    String account = ex.param("account_id");
    if (!ACCOUNT_ID.matcher(account).matches()) {
      throw CloudflareErrors.error(
          404,
          CloudflareErrors.BAD_IDENTIFIER,
          "Could not route to /client/v4/accounts/" + RootHandler.truncate(account)
              + "/queues, perhaps your object identifier is invalid?");
    }
    if (!account.toLowerCase(Locale.ROOT).equals(accountId)) {
      throw CloudflareErrors.error(
          403, CloudflareErrors.AUTHENTICATION, "Authentication error: no access to account " + account);
    }
    return caller;
  }

  /** Checks the caller, the account id and the shape of the queue id; returns the queue id. */
  String queueId(Exchange ex) throws HttpError {
    authorize(ex);
    String id = ex.param("queue_id");
    if (!RESOURCE_ID.matcher(id).matches()) {
      throw CloudflareErrors.error(
          400,
          CloudflareErrors.QUEUE_ID_MALFORMED,
          "the queue id must be 1 to 64 letters and digits but was '" + RootHandler.truncate(id) + "'");
    }
    return id;
  }

  private String consumerId(Exchange ex) throws HttpError {
    String id = ex.param("consumer_id");
    if (!RESOURCE_ID.matcher(id).matches()) {
      throw CloudflareErrors.error(
          404,
          CloudflareErrors.BAD_IDENTIFIER,
          "Could not route to consumer '" + RootHandler.truncate(id)
              + "', perhaps your object identifier is invalid?");
    }
    return id;
  }

  /** Reads the body as a JSON object, then runs {@code then} on it. */
  static void withBody(Exchange ex, BodyHandler then) {
    BodyReader.read(
        ex, MAX_REQUEST_BYTES, "Cloudflare API request body", body -> then.accept(CloudflareJson.object(body)));
  }

  /** Handles a parsed request body. */
  @FunctionalInterface
  interface BodyHandler {
    void accept(ObjectNode body) throws Exception;
  }

  static void ok(Exchange ex, Exchange.@Nullable JsonBody result) {
    ex.respondJson(200, CloudflareJson.success(result));
  }

  private static HttpError refused(QueueBackendException e) {
    return CloudflareErrors.of(e, false);
  }

  // ---- queues

  private void createQueue(Exchange ex) throws HttpError {
    authorize(ex);
    withBody(
        ex,
        body -> {
          String name = optString(body, "queue_name");
          if (name == null) {
            throw CloudflareErrors.error(400, CloudflareErrors.INVALID_QUEUE_NAME, "queue_name is required");
          }
          requireQueueName(name);
          QueueConfig config = settings(body, QueueConfig.DEFAULTS);
          QueueInfo created;
          try {
            created = backend.createQueue(name, config);
          } catch (QueueBackendException e) {
            throw refused(e);
          }
          ok(ex, g -> CloudflareJson.writeQueue(g, created));
        });
  }

  private static void requireQueueName(String name) throws HttpError {
    if (!QUEUE_NAME.matcher(name).matches()) {
      throw CloudflareErrors.error(
          400,
          CloudflareErrors.INVALID_QUEUE_NAME,
          "queue_name must be 1 to 63 letters, digits, '-' or '_' but was '"
              + RootHandler.truncate(name) + "'");
    }
  }

  /** Reads {@code settings} over {@code base}: fields not given keep their value in {@code base}. */
  private static QueueConfig settings(ObjectNode body, QueueConfig base) throws HttpError {
    JsonNode s = optObject(body, "settings");
    if (s == null) {
      return base;
    }
    OptionalInt delay = optInt(s, "delivery_delay", 0, 86_400);
    OptionalInt retention = optInt(s, "message_retention_period", 60, MAX_RETENTION);
    Boolean paused = optBoolean(s, "delivery_paused");
    return new QueueConfig(
        delay.isPresent() ? Duration.ofSeconds(delay.getAsInt()) : base.deliveryDelay(),
        retention.isPresent() ? Duration.ofSeconds(retention.getAsInt()) : base.retentionPeriod(),
        paused != null ? paused : base.deliveryPaused());
  }

  private void listQueues(Exchange ex) throws HttpError {
    authorize(ex);
    Fields query;
    try {
      query = org.eclipse.jetty.server.Request.extractQueryParameters(ex.request);
    } catch (RuntimeException e) { // Jetty's BadMessageException: bad percent-encoding
      throw invalid("the query string is malformed (bad percent-encoding)");
    }
    int page = queryInt(query, "page", 1, Integer.MAX_VALUE, 1);
    int perPage = queryInt(query, "per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE);
    List<String> names = query.getValues("name");
    List<QueueInfo> all = new ArrayList<>();
    for (QueueInfo q : backend.listQueues()) {
      if (names == null || names.isEmpty() || names.contains(q.name())) {
        all.add(q);
      }
    }
    long from = Math.min((long) (page - 1) * perPage, all.size());
    List<QueueInfo> shown = all.subList((int) from, (int) Math.min(from + perPage, all.size()));
    int total = all.size();
    ex.respondJson(
        200,
        Exchange.json(
            g -> {
              g.writeStartObject();
              g.writeBooleanField("success", true);
              g.writeArrayFieldStart("errors");
              g.writeEndArray();
              g.writeArrayFieldStart("messages");
              g.writeEndArray();
              g.writeArrayFieldStart("result");
              for (QueueInfo q : shown) {
                CloudflareJson.writeQueue(g, q);
              }
              g.writeEndArray();
              g.writeObjectFieldStart("result_info");
              g.writeNumberField("page", page);
              g.writeNumberField("per_page", perPage);
              g.writeNumberField("count", shown.size());
              g.writeNumberField("total_count", total);
              g.writeNumberField("total_pages", (total + perPage - 1) / perPage);
              g.writeEndObject();
              g.writeEndObject();
            }));
  }

  private static int queryInt(Fields query, String name, int min, int max, int absent)
      throws HttpError {
    List<String> values = query.getValues(name);
    if (values == null || values.isEmpty()) {
      return absent;
    }
    String v = values.get(values.size() - 1);
    boolean digits = !v.isEmpty() && v.length() <= 10 && v.chars().allMatch(c -> c >= '0' && c <= '9');
    long n = digits ? Long.parseLong(v) : -1;
    if (values.size() > 1 || n < min || n > max) {
      throw invalid(
          "query parameter " + name + " must be given once, an integer from " + min + " to " + max
              + ", but was '" + RootHandler.truncate(String.join(",", values)) + "'");
    }
    return (int) n;
  }

  private void getQueue(Exchange ex) throws HttpError {
    String id = queueId(ex);
    QueueInfo q;
    try {
      q = backend.queue(id);
    } catch (QueueBackendException e) {
      throw refused(e);
    }
    ok(ex, g -> CloudflareJson.writeQueue(g, q));
  }

  /** PUT replaces the settings (fields not given take their defaults); PATCH merges them. */
  private void updateQueue(Exchange ex, boolean partial) throws HttpError {
    String id = queueId(ex);
    withBody(
        ex,
        body -> {
          QueueInfo current;
          try {
            current = backend.queue(id);
          } catch (QueueBackendException e) {
            throw refused(e);
          }
          String name = optString(body, "queue_name");
          if (name != null && !name.equals(current.name())) {
            requireQueueName(name);
            throw invalid(
                "renaming a queue is not supported: queue_name must be '" + current.name()
                    + "' or absent but was '" + name + "'");
          }
          QueueConfig config = settings(body, partial ? current.config() : QueueConfig.DEFAULTS);
          QueueInfo updated;
          try {
            updated = backend.updateQueue(id, config);
          } catch (QueueBackendException e) {
            throw refused(e);
          }
          ok(ex, g -> CloudflareJson.writeQueue(g, updated));
        });
  }

  private void deleteQueue(Exchange ex) throws HttpError {
    String id = queueId(ex);
    try {
      backend.deleteQueue(id);
    } catch (QueueBackendException e) {
      throw refused(e);
    }
    ok(ex, null);
  }

  private void metrics(Exchange ex) throws HttpError {
    String id = queueId(ex);
    io.queues4j.QueueMetrics m;
    try {
      m = backend.metrics(id);
    } catch (QueueBackendException e) {
      throw refused(e);
    }
    ok(ex, g -> CloudflareJson.writeMetrics(g, m));
  }

  private void purge(Exchange ex) throws HttpError {
    String id = queueId(ex);
    withBody(
        ex,
        body -> {
          Boolean confirmed = optBoolean(body, "delete_messages_permanently");
          if (!Boolean.TRUE.equals(confirmed)) {
            throw invalid(
                "purging deletes every message permanently: send {\"delete_messages_permanently\":true}");
          }
          QueueInfo q;
          try {
            backend.purge(id);
            q = backend.queue(id);
          } catch (QueueBackendException e) {
            throw refused(e);
          }
          ok(ex, g -> CloudflareJson.writeQueue(g, q));
        });
  }

  private void purgeStatus(Exchange ex) throws HttpError {
    String id = queueId(ex);
    Optional<QueueBackend.PurgeStatus> status;
    try {
      status = backend.purgeStatus(id);
    } catch (QueueBackendException e) {
      throw refused(e);
    }
    ok(
        ex,
        g -> {
          g.writeStartObject();
          if (status.isPresent()) {
            g.writeStringField("started_at", Timestamps.format(status.get().startedAt()));
            g.writeBooleanField("completed", status.get().completed());
          }
          g.writeEndObject();
        });
  }

  // ---- consumers

  private void createConsumer(Exchange ex) throws HttpError {
    String id = queueId(ex);
    withBody(
        ex,
        body -> {
          PullSettings settings = pullSettings(body, PullSettings.DEFAULTS);
          ConsumerInfo created;
          try {
            created = backend.createPullConsumer(id, settings);
          } catch (QueueBackendException e) {
            throw refused(e);
          }
          ok(ex, g -> CloudflareJson.writeConsumer(g, created));
        });
  }

  private void replaceConsumer(Exchange ex) throws HttpError {
    String id = queueId(ex);
    String consumer = consumerId(ex);
    withBody(
        ex,
        body -> {
          PullSettings settings = pullSettings(body, PullSettings.DEFAULTS);
          ConsumerInfo replaced;
          try {
            replaced = backend.replacePullConsumer(id, consumer, settings);
          } catch (QueueBackendException e) {
            throw refused(e);
          }
          ok(ex, g -> CloudflareJson.writeConsumer(g, replaced));
        });
  }

  /** Reads a consumer request: {@code type} must be {@code http_pull}. */
  private static PullSettings pullSettings(ObjectNode body, PullSettings base) throws HttpError {
    String type = optString(body, "type");
    if (type == null) {
      throw invalid("type is required: \"http_pull\" (\"worker\" consumers are attached in Java)");
    }
    if (type.equals("worker")) {
      throw invalid(
          "worker consumers cannot be added over HTTP: queues4j has no Workers to run; attach a "
              + "consumer in Java with QueueEngine.consume, or use \"type\":\"http_pull\"");
    }
    if (!type.equals("http_pull")) {
      throw invalid("type must be \"http_pull\" but was \"" + RootHandler.truncate(type) + "\"");
    }
    String dlq = optString(body, "dead_letter_queue");
    if (dlq != null && !dlq.isEmpty()) {
      requireQueueName(dlq);
    }
    JsonNode s = optObject(body, "settings");
    OptionalInt batchSize = s == null ? OptionalInt.empty() : optInt(s, "batch_size", 1, 100);
    OptionalInt maxRetries = s == null ? OptionalInt.empty() : optInt(s, "max_retries", 0, 100);
    OptionalInt retryDelay = s == null ? OptionalInt.empty() : optInt(s, "retry_delay", 0, 86_400);
    OptionalInt visibility =
        s == null ? OptionalInt.empty() : optInt(s, "visibility_timeout_ms", 1, 43_200_000);
    return new PullSettings(
        batchSize.orElse(base.batchSize()),
        maxRetries.orElse(base.maxRetries()),
        retryDelay.isPresent() ? Duration.ofSeconds(retryDelay.getAsInt()) : base.retryDelay(),
        visibility.isPresent() ? Duration.ofMillis(visibility.getAsInt()) : base.visibilityTimeout(),
        dlq == null || dlq.isEmpty() ? Optional.empty() : Optional.of(dlq));
  }

  private void listConsumers(Exchange ex) throws HttpError {
    String id = queueId(ex);
    List<ConsumerInfo> all;
    try {
      all = backend.consumers(id);
    } catch (QueueBackendException e) {
      throw refused(e);
    }
    ok(
        ex,
        g -> {
          g.writeStartArray();
          for (ConsumerInfo c : all) {
            CloudflareJson.writeConsumer(g, c);
          }
          g.writeEndArray();
        });
  }

  private void getConsumer(Exchange ex) throws HttpError {
    String id = queueId(ex);
    String consumer = consumerId(ex);
    ConsumerInfo c;
    try {
      c = backend.consumer(id, consumer);
    } catch (QueueBackendException e) {
      throw refused(e);
    }
    ok(ex, g -> CloudflareJson.writeConsumer(g, c));
  }

  private void deleteConsumer(Exchange ex) throws HttpError {
    String id = queueId(ex);
    String consumer = consumerId(ex);
    try {
      backend.deleteConsumer(id, consumer);
    } catch (QueueBackendException e) {
      throw refused(e);
    }
    ok(ex, null);
  }
}

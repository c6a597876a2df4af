package io.queues4j.http;

import static java.util.Objects.requireNonNull;

import io.queues4j.core.QueueEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server in front of a {@link QueueEngine}, on embedded Jetty: the W7S send endpoint and
 * push consumers ({@link W7sQueue}), queue-run enqueue routes ({@link QueueRunRoute}) and {@code
 * GET /healthz}.
 *
 * <pre>{@code
 * QueueHttpServer server = QueueHttpServer.builder(engine)
 *     .port(8080)
 *     .token(System.getenv("APP_TOKEN"), new Caller("w7s-io", "example-queue-producer", "production"))
 *     .w7sQueue(W7sQueue.builder("w7s-io", "example-queue-worker", "jobs")
 *         .consumerUrl(URI.create("http://127.0.0.1:9000"))
 *         .signingSecret(secret)
 *         .build())
 *     .build();
 * server.start();
 * }</pre>
 *
 * <p><b>Security:</b> every route but {@code GET /healthz} needs {@code Authorization: Bearer
 * <token>}; tokens are kept only as SHA-256 digests and compared in constant time. Bodies, URLs and
 * headers are size-limited and slow clients cut off ({@link HttpLimits}); sends are rate-limited
 * per caller repository, owner and globally ({@link RateLimits}). It binds to {@code 127.0.0.1}
 * unless told otherwise, and serves TLS when given a key store.
 *
 * <p><b>Threads:</b> Jetty's daemon threads are named {@code queues4j-http-N} (requests) and
 * {@code queues4j-http-scheduler}; push consumers use {@code queues4j-http-push-N}. {@link
 * #close()} stops all of them. The engine's queues and consumers outlive the server: close the
 * server before the engine; after the server is closed, push deliveries fail and are retried.
 *
 * <p><b>Thread-safety:</b> {@link #start()} and {@link #close()} may be called from any thread;
 * configuration is immutable once built.
 */
public final class QueueHttpServer implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(QueueHttpServer.class);

  private final Server server;
  private final ServerConnector connector;
  private final ConnectionGuard guard;
  private final List<Face> faces;
  private final Object lifecycle = new Object();
  private boolean started; // guarded by lifecycle
  private boolean closed; // guarded by lifecycle

  private QueueHttpServer(Builder b) {
    HttpLimits limits = b.limits;
    RateLimiter rateLimiter = new RateLimiter(b.rateLimits, b.clock);
    faces = new ArrayList<>();
    faces.add(new HealthFace());
    if (!b.w7sQueues.isEmpty()) {
      faces.add(new W7sFace(b.engine, b.w7sQueues, limits, rateLimiter, b.clock));
    }
    if (!b.queueRunRoutes.isEmpty()) {
      faces.add(new QueueRunFace(b.engine, b.queueRunRoutes, limits, rateLimiter, b.clock));
    }
    if (b.cloudflareAccountId != null) {
      QueueBackend backend = b.cloudflareBackend != null
          ? b.cloudflareBackend : new EngineQueueBackend(b.engine, b.clock);
      faces.add(new CloudflareFace(b.cloudflareAccountId, b.cloudflareCallers, backend, rateLimiter));
    }
    Router router = new Router();
    faces.forEach(f -> f.addRoutes(router));

    QueuedThreadPool threads = new QueuedThreadPool(b.maxThreads, Math.min(4, b.maxThreads));
    threads.setName("queues4j-http");
    threads.setDaemon(true);
    server = new Server(threads, new ScheduledExecutorScheduler("queues4j-http-scheduler", true), null);
    server.setStopTimeout(2_000);

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(limits.maxHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setIdleTimeout(limits.idleTimeout().toMillis());
    HttpConnectionFactory httpFactory = new HttpConnectionFactory(http);
    if (b.keyStore != null) {
      http.addCustomizer(new SecureRequestCustomizer());
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStorePath(b.keyStore.toString());
      ssl.setKeyStorePassword(b.keyStorePassword);
      connector =
          new ServerConnector(server, new SslConnectionFactory(ssl, httpFactory.getProtocol()), httpFactory);
    } else {
      connector = new ServerConnector(server, httpFactory);
    }
    connector.setHost(b.host);
    connector.setPort(b.port);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    guard = new ConnectionGuard(limits.headerTimeout(), limits.requestTimeout());
    connector.addEventListener(guard);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
    server.setErrorHandler(new JsonErrorHandler());
    // Requests in progress at close() may finish (up to the stop timeout); new ones are refused.
    server.setHandler(
        new GracefulHandler(
            new RootHandler(router, TokenRegistry.of(b.tokens), guard, limits.maxUrlLength())));
  }

  /**
   * Starts a server for {@code engine}.
   *
   * @param engine the engine the faces send to and consume from
   * @return a new builder
   * @throws NullPointerException if {@code engine} is {@code null}
   */
  public static Builder builder(QueueEngine engine) {
    return new Builder(engine);
  }

  /**
   * Declares the W7S queues and attaches their push consumers, then starts listening.
   *
   * @throws IllegalStateException if the server was started or closed before, a queue-run route's
   *     queue is not declared, a W7S queue is declared in the engine with other settings or
   *     already has a consumer, or the port cannot be bound (the cause says why)
   */
  public void start() {
    synchronized (lifecycle) {
      if (started || closed) {
        throw new IllegalStateException(closed ? "the server is closed" : "the server is already started");
      }
      started = true;
      try {
        faces.forEach(Face::start);
        server.start();
        guard.start(server.getScheduler());
      } catch (RuntimeException e) {
        stopQuietly();
        throw e;
      } catch (Exception e) {
        stopQuietly();
        throw new IllegalStateException("the HTTP server could not start: " + e.getMessage(), e);
      }
      logger.info("queues4j HTTP server listening on {}:{}", connector.getHost(), connector.getLocalPort());
    }
  }

  /**
   * Returns the port the server listens on: the configured one, or the one the system chose for
   * port 0.
   *
   * @return the local port
   * @throws IllegalStateException if the server is not started
   */
  public int port() {
    synchronized (lifecycle) {
      if (!started || closed) {
        throw new IllegalStateException("the server is not running");
      }
      return connector.getLocalPort();
    }
  }

  /**
   * Stops listening, ends open connections (waiting up to 2 s for requests in progress), stops the
   * push consumers' HTTP client and every thread the server started. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      stopQuietly();
    }
  }

  private void stopQuietly() {
    guard.stop();
    guard.closeIdle(); // else Jetty's graceful stop waits for kept-alive connections to go idle
    try {
      server.stop();
    } catch (Exception e) {
      logger.warn("stopping the HTTP server failed", e);
    }
    for (Face f : faces) {
      try {
        f.stop();
      } catch (RuntimeException e) {
        logger.warn("stopping an HTTP face failed", e);
      }
    }
  }

  /** Builds a {@link QueueHttpServer}. Not thread-safe. */
  public static final class Builder {
    private static final Pattern HEX_DIGEST = Pattern.compile("[0-9a-fA-F]{64}");

    private final QueueEngine engine;
    private int port = 0;
    private String host = "127.0.0.1";
    private @Nullable Path keyStore;
    private String keyStorePassword = "";
    private HttpLimits limits = HttpLimits.defaults();
    private RateLimits rateLimits = RateLimits.defaults();
    private InstantSource clock = InstantSource.system();
    private int maxThreads = 64;
    private final Map<String, Caller> tokens = new LinkedHashMap<>();
    private final List<W7sQueue> w7sQueues = new ArrayList<>();
    private final List<QueueRunRoute> queueRunRoutes = new ArrayList<>();
    private @Nullable String cloudflareAccountId;
    private java.util.Set<Caller> cloudflareCallers = java.util.Set.of();
    private @Nullable QueueBackend cloudflareBackend;

    private Builder(QueueEngine engine) {
      this.engine = requireNonNull(engine, "engine");
    }

    /**
     * Sets the port; 0, the default, lets the system choose one (see {@link #port()}).
     *
     * @param port 0 to 65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0 to 65535 but was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the address to bind; {@code 127.0.0.1} by default, so that nothing outside the machine
     * can connect unless asked for.
     *
     * @param host a host name or IP address, e.g. {@code 0.0.0.0} for every interface
     * @return this builder
     * @throws IllegalArgumentException if blank
     */
    public Builder host(String host) {
      requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      this.host = host;
      return this;
    }

    /**
     * Serves HTTPS with the key and certificate in a key store (PKCS12 or JKS).
     *
     * @param keyStore the key store file
     * @param password its password
     * @return this builder
     * @throws IllegalArgumentException if the file does not exist
     */
    public Builder tls(Path keyStore, String password) {
      requireNonNull(keyStore, "keyStore");
      requireNonNull(password, "password");
      if (!Files.isRegularFile(keyStore)) {
        throw new IllegalArgumentException("key store " + keyStore + " is not a file");
      }
      this.keyStore = keyStore;
      this.keyStorePassword = password;
      return this;
    }

    /**
     * Sets the size and time limits.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(HttpLimits limits) {
      this.limits = requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Sets the rate limits of sends.
     *
     * @param rateLimits the limits
     * @return this builder
     */
    public Builder rateLimits(RateLimits rateLimits) {
      this.rateLimits = requireNonNull(rateLimits, "rateLimits");
      return this;
    }

    /**
     * Sets the clock of rate limits, envelope times and delivery signatures; the system clock by
     * default.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the most request threads.
     *
     * @param maxThreads 8 to 1000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxThreads(int maxThreads) {
      if (maxThreads < 8 || maxThreads > 1_000) {
        throw new IllegalArgumentException("maxThreads must be 8 to 1000 but was " + maxThreads);
      }
      this.maxThreads = maxThreads;
      return this;
    }

    /**
     * Accepts a bearer token for a caller. Only the token's SHA-256 digest is kept.
     *
     * @param token the token, 16 to 1024 characters of RFC 6750's token alphabet
     * @param caller who the token speaks for
     * @return this builder
     * @throws IllegalArgumentException if the token is malformed or already configured
     */
    public Builder token(String token, Caller caller) {
      requireNonNull(token, "token");
      if (token.length() < 16 || token.length() > 1024 || !token.matches("[A-Za-z0-9._~+/-]+=*")) {
        throw new IllegalArgumentException(
            "token must be 16 to 1024 characters of A-Z a-z 0-9 . _ ~ + / - (then '=' padding) but "
                + "was " + token.length() + " characters" + (token.length() >= 16 ? " with others" : ""));
      }
      return tokenSha256(TokenRegistry.sha256Hex(token), caller);
    }

    /**
     * Accepts a bearer token, given as the hexadecimal SHA-256 digest of its UTF-8 bytes, so the
     * token itself never reaches the configuration (e.g. {@code printf %s "$TOKEN" | sha256sum}).
     *
     * @param sha256Hex 64 hexadecimal digits
     * @param caller who the token speaks for
     * @return this builder
     * @throws IllegalArgumentException if the digest is malformed or already configured
     */
    public Builder tokenSha256(String sha256Hex, Caller caller) {
      requireNonNull(sha256Hex, "sha256Hex");
      requireNonNull(caller, "caller");
      if (!HEX_DIGEST.matcher(sha256Hex).matches()) {
        throw new IllegalArgumentException(
            "sha256Hex must be 64 hexadecimal digits but was " + sha256Hex.length() + " characters");
      }
      String key = sha256Hex.toLowerCase(java.util.Locale.ROOT);
      if (tokens.putIfAbsent(key, caller) != null) {
        throw new IllegalArgumentException("the same token is configured twice");
      }
      return this;
    }

    /**
     * Declares a W7S queue.
     *
     * @param queue the queue
     * @return this builder
     * @throws IllegalArgumentException if a queue with the same owner, repository, environment and
     *     name is already declared
     */
    public Builder w7sQueue(W7sQueue queue) {
      requireNonNull(queue, "queue");
      for (W7sQueue q : w7sQueues) {
        if (q.engineQueueName().equalsIgnoreCase(queue.engineQueueName())) {
          throw new IllegalArgumentException("W7S queue declared twice: " + queue.engineQueueName());
        }
      }
      w7sQueues.add(queue);
      return this;
    }

    /**
     * Adds a queue-run enqueue route.
     *
     * @param route the route
     * @return this builder
     * @throws IllegalArgumentException if its path clashes with another route
     */
    public Builder queueRunRoute(QueueRunRoute route) {
      requireNonNull(route, "route");
      Router probe = new Router();
      probe.add("POST", "/api/v1/queues/{owner}/{repo}/{queue}", true, ex -> {});
      probe.add("GET", "/healthz", false, ex -> {});
      for (QueueRunRoute r : queueRunRoutes) {
        probe.add("POST", r.path(), true, ex -> {});
      }
      probe.add("POST", route.path(), true, ex -> {});
      queueRunRoutes.add(route);
      return this;
    }

    /**
     * Serves Cloudflare's Queues REST API (v4) for one account under {@code /client/v4/accounts/
     * {accountId}/queues}, over the server's engine, to the callers listed (their tokens are
     * configured with {@link #token}); other callers get 403. Queues are the engine's queues;
     * {@code http_pull} consumers are its {@link io.queues4j.core.PullConsumer}s; push consumers
     * attached in Java are listed as {@code worker} consumers. See docs/HTTP.md for the routes and
     * where queues4j differs from Cloudflare.
     *
     * @param accountId the account id the API answers for: 32 hexadecimal digits
     * @param callers the callers allowed, at least one
     * @return this builder
     * @throws IllegalArgumentException if {@code accountId} is not 32 hexadecimal digits, no caller
     *     is given, or the API is already configured
     */
    public Builder cloudflareApi(String accountId, Caller... callers) {
      requireNonNull(callers, "callers");
      return cloudflareApi(accountId, java.util.Set.of(callers), null);
    }

    /**
     * Serves Cloudflare's REST API over {@code backend} (tests use a fake; {@code null}: the
     * engine).
     *
     * @throws IllegalArgumentException if {@code accountId} is not 32 hexadecimal digits, no caller
     *     is given, or the API is already configured
     */
    Builder cloudflareApi(
        String accountId, java.util.Set<Caller> callers, @Nullable QueueBackend backend) {
      requireNonNull(accountId, "accountId");
      requireNonNull(callers, "callers");
      if (cloudflareAccountId != null) {
        throw new IllegalArgumentException("the Cloudflare API is already configured");
      }
      if (!accountId.matches("[0-9a-fA-F]{32}") || callers.isEmpty()) {
        throw new IllegalArgumentException(
            "accountId must be 32 hexadecimal digits and at least one caller given, but were '"
                + RootHandler.truncate(accountId) + "' and " + callers.size() + " callers");
      }
      this.cloudflareAccountId = accountId;
      this.cloudflareCallers = java.util.Set.copyOf(callers);
      this.cloudflareBackend = backend;
      return this;
    }

    /**
     * Builds the server; call {@link QueueHttpServer#start()} to serve.
     *
     * @return the server
     */
    public QueueHttpServer build() {
      return new QueueHttpServer(this);
    }
  }
}

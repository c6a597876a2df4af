package io.queues4j.http;

import static java.util.Objects.requireNonNull;

import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A W7S backend queue, as one deployment declares it in {@code w7s.json}: the owner and repository
 * of the app that consumes it, the deployment environment, the queue's name, who else may send to
 * it, and where its batches are pushed.
 *
 * <p><b>Engine queue:</b> each W7S queue is the engine queue {@code
 * w7s:<owner>/<repo>/<environment>/<name>} ({@link #engineQueueName()}), declared by the server
 * when it starts. Its messages are the W7S envelopes of {@code docs/HTTP.md}: a JSON object with
 * {@code id}, {@code enqueuedAt}, {@code caller} and {@code body}.
 *
 * <p><b>Consumer:</b> with a {@link Builder#consumerUrl consumer URL}, the server attaches a push
 * consumer that {@code POST}s each batch, signed (see {@link PushSignature}), to the URL plus the
 * consumer path (by default {@code /_w7s/queues/<name>}), with W7S's consumer defaults: batches of
 * 10, 3 retries, 10 s between retries. Without one, attach your own consumer to {@link
 * #engineQueueName()}.
 *
 * <p><b>Access:</b> apps of the same owner may send by default; others only if {@link
 * Builder#allow} lists their owner or their {@code owner/repo}. Sends stay in the sender's
 * environment: a caller in environment {@code preview} reaches only queues declared for {@code
 * preview}.
 *
 * <p>Immutable and thread-safe.
 */
public final class W7sQueue {
  private final String owner;
  private final String repo;
  private final String name;
  private final String environment;
  private final List<String> allow;
  private final int maxEnvelopeBytes;
  private final QueueSettings queueSettings;
  private final @Nullable URI consumerUri;
  private final byte[] signingSecret;
  private final ConsumerSettings consumerSettings;
  private final Duration deliveryTimeout;

  private W7sQueue(Builder b, @Nullable URI consumerUri) {
    this.owner = b.owner;
    this.repo = b.repo;
    this.name = b.name;
    this.environment = b.environment;
    this.allow = List.copyOf(b.allow);
    this.maxEnvelopeBytes = b.maxEnvelopeBytes;
    this.queueSettings = b.queueSettings;
    this.consumerUri = consumerUri;
    this.signingSecret = b.signingSecret.clone();
    this.consumerSettings = b.consumerSettings;
    this.deliveryTimeout = b.deliveryTimeout;
  }

  /**
   * Starts a declaration.
   *
   * @param owner the consuming app's owner, e.g. {@code w7s-io}
   * @param repo the consuming app's repository, e.g. {@code example-queue-worker}
   * @param name the queue name, e.g. {@code jobs}
   * @return a new builder, for environment {@code production}
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if a name is not 1 to 100 letters, digits, {@code .}, {@code
   *     _} or {@code -}
   */
  public static Builder builder(String owner, String repo, String name) {
    return new Builder(owner, repo, name);
  }

  /**
   * Returns the consuming app's owner.
   *
   * @return the owner
   */
  public String owner() {
    return owner;
  }

  /**
   * Returns the consuming app's repository.
   *
   * @return the repository name, without the owner
   */
  public String repo() {
    return repo;
  }

  /**
   * Returns the queue's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the deployment environment this queue belongs to.
   *
   * @return the environment
   */
  public String environment() {
    return environment;
  }

  /**
   * Returns the allowlist: owners and {@code owner/repo} names, besides the queue's own owner.
   *
   * @return an unmodifiable list
   */
  public List<String> allow() {
    return allow;
  }

  /**
   * Returns the largest stored envelope (body plus W7S metadata), in bytes.
   *
   * @return bytes
   */
  public int maxEnvelopeBytes() {
    return maxEnvelopeBytes;
  }

  /**
   * Returns the settings the engine queue is declared with.
   *
   * @return the queue settings
   */
  public QueueSettings queueSettings() {
    return queueSettings;
  }

  /**
   * Returns the URL batches are pushed to, if this queue has a push consumer.
   *
   * @return the consumer URL (base URL plus consumer path), or empty
   */
  public Optional<URI> consumerUri() {
    return Optional.ofNullable(consumerUri);
  }

  /**
   * Returns the push consumer's batching and retry settings.
   *
   * @return the consumer settings
   */
  public ConsumerSettings consumerSettings() {
    return consumerSettings;
  }

  /**
   * Returns how long one push delivery may take before it counts as failed.
   *
   * @return the delivery timeout
   */
  public Duration deliveryTimeout() {
    return deliveryTimeout;
  }

  /**
   * Returns the engine queue behind this W7S queue: {@code
   * w7s:<owner>/<repo>/<environment>/<name>}.
   *
   * @return the engine queue name
   */
  public String engineQueueName() {
    return "w7s:" + owner + "/" + repo + "/" + environment + "/" + name;
  }

  /**
   * Returns the managed queue name W7S shows consumers in a batch's {@code queueName}: {@code
   * w7s-<environment>-<owner>-<repo>-queue-<name>}, lower case, with characters other than
   * letters, digits and {@code -} replaced by {@code -}.
   *
   * @return the display name
   */
  public String wireQueueName() {
    String raw = "w7s-" + environment + "-" + owner + "-" + repo + "-queue-" + name;
    return raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
  }

  byte[] signingSecret() {
    return signingSecret;
  }

  /** Same owner always; otherwise an allowlist entry naming the caller's owner or repository. */
  boolean allows(Caller caller) {
    if (caller.owner().equalsIgnoreCase(owner)) {
      return true;
    }
    for (String entry : allow) {
      if (entry.equalsIgnoreCase(caller.owner()) || entry.equalsIgnoreCase(caller.repository())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "W7sQueue{" + engineQueueName() + ", allow=" + allow + ", consumer="
        + (consumerUri == null ? "none" : consumerUri.toString()) + "}";
  }

  /** Builds a {@link W7sQueue}. Not thread-safe. */
  public static final class Builder {
    private final String owner;
    private final String repo;
    private final String name;
    private String environment = "production";
    private final List<String> allow = new ArrayList<>();
    private int maxEnvelopeBytes = 65_536;
    private QueueSettings queueSettings = QueueSettings.defaults();
    private @Nullable URI consumerUrl;
    private @Nullable String consumerPath;
    private byte[] signingSecret = new byte[0];
    private ConsumerSettings consumerSettings =
        ConsumerSettings.builder()
            .maxBatchSize(10)
            .maxRetries(3)
            .retryDelay(Duration.ofSeconds(10))
            .build();
    private Duration deliveryTimeout = Duration.ofSeconds(30);

    private Builder(String owner, String repo, String name) {
      this.owner = Caller.requireSlug("owner", owner);
      this.repo = Caller.requireSlug("repo", repo);
      this.name = Caller.requireSlug("queue name", name);
    }

    /**
     * Sets the deployment environment.
     *
     * @param environment e.g. {@code production} or a branch name
     * @return this builder
     * @throws IllegalArgumentException if not 1 to 100 letters, digits, {@code .}, {@code _},
     *     {@code -} or {@code /}
     */
    public Builder environment(String environment) {
      this.environment = new Caller(owner, repo, environment).environment();
      return this;
    }

    /**
     * Adds allowlist entries: an owner such as {@code w7s-io}, or one repository such as {@code
     * guerrerocarlos/nodepad}.
     *
     * @param entries the entries
     * @return this builder
     * @throws IllegalArgumentException if an entry is neither an owner nor {@code owner/repo}
     */
    public Builder allow(String... entries) {
      for (String entry : requireNonNull(entries, "entries")) {
        requireNonNull(entry, "entry");
        int slash = entry.indexOf('/');
        boolean ok =
            slash < 0
                ? Caller.isSlug(entry)
                : Caller.isSlug(entry.substring(0, slash)) && Caller.isSlug(entry.substring(slash + 1));
        if (!ok) {
          throw new IllegalArgumentException(
              "allow entry must be an owner or owner/repo but was '" + entry + "'");
        }
        allow.add(entry);
      }
      return this;
    }

    /**
     * Sets the largest stored envelope; W7S's default is 64 KB.
     *
     * @param bytes 256 to 128,000 (the engine's message limit)
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxEnvelopeBytes(int bytes) {
      if (bytes < 256 || bytes > 128_000) {
        throw new IllegalArgumentException("maxEnvelopeBytes must be 256 to 128000 but was " + bytes);
      }
      this.maxEnvelopeBytes = bytes;
      return this;
    }

    /**
     * Sets the settings of the engine queue.
     *
     * @param settings the queue settings
     * @return this builder
     */
    public Builder queueSettings(QueueSettings settings) {
      this.queueSettings = requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Turns on push delivery to the consuming app's base URL.
     *
     * @param baseUrl an {@code http} or {@code https} URL without query or fragment
     * @return this builder
     * @throws IllegalArgumentException if the URL is not absolute http(s) or has a query or
     *     fragment
     */
    public Builder consumerUrl(URI baseUrl) {
      requireNonNull(baseUrl, "baseUrl");
      String scheme = baseUrl.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || baseUrl.getHost() == null
          || baseUrl.getRawQuery() != null
          || baseUrl.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "consumerUrl must be an absolute http(s) URL without query or fragment but was '"
                + baseUrl + "'");
      }
      this.consumerUrl = baseUrl;
      return this;
    }

    /**
     * Sets the consumer route, appended to the consumer URL; by default {@code
     * /_w7s/queues/<name>}.
     *
     * @param path a path starting with {@code /}
     * @return this builder
     * @throws IllegalArgumentException if the path does not start with {@code /} or has a query,
     *     fragment or dot segment
     */
    public Builder consumerPath(String path) {
      requireNonNull(path, "path");
      if (!path.startsWith("/") || path.contains("?") || path.contains("#")
          || Router.split(path).stream().anyMatch(s -> s.equals(".") || s.equals(".."))) {
        throw new IllegalArgumentException(
            "consumerPath must start with '/' and have no query, fragment or dot segment but was '"
                + path + "'");
      }
      this.consumerPath = path;
      return this;
    }

    /**
     * Sets the secret that signs push deliveries (see {@link PushSignature}).
     *
     * @param secret at least 16 bytes; 32 random bytes are recommended. Copied.
     * @return this builder
     * @throws IllegalArgumentException if shorter than 16 bytes
     */
    public Builder signingSecret(byte[] secret) {
      requireNonNull(secret, "secret");
      if (secret.length < 16) {
        throw new IllegalArgumentException(
            "signingSecret must be at least 16 bytes but was " + secret.length);
      }
      this.signingSecret = secret.clone();
      return this;
    }

    /**
     * Sets the push consumer's batching and retry settings; by default W7S's: batch size 10, 3
     * retries, 10 s retry delay, and the engine's other defaults.
     *
     * @param settings the consumer settings
     * @return this builder
     */
    public Builder consumerSettings(ConsumerSettings settings) {
      this.consumerSettings = requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Sets how long one push delivery may take (connect, send, and the consumer's response
     * status) before it counts as failed and the batch is retried.
     *
     * @param timeout 1 ms to 15 min
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder deliveryTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(15)) > 0) {
        throw new IllegalArgumentException("deliveryTimeout must be 1 ms to 15 min but was " + timeout);
      }
      this.deliveryTimeout = timeout;
      return this;
    }

    /**
     * Builds the declaration.
     *
     * @return the queue
     * @throws IllegalStateException if a consumer URL is set without a signing secret, or the
     *     delivery timeout is not shorter than the consumer's handler timeout
     */
    public W7sQueue build() {
      URI uri = null;
      if (consumerUrl != null) {
        if (signingSecret.length == 0) {
          throw new IllegalStateException(
              "W7S queue '" + name + "' has a consumerUrl but no signingSecret");
        }
        if (deliveryTimeout.compareTo(consumerSettings.handlerTimeout()) >= 0) {
          throw new IllegalStateException(
              "deliveryTimeout (" + deliveryTimeout + ") must be shorter than the consumer's "
                  + "handlerTimeout (" + consumerSettings.handlerTimeout() + ")");
        }
        String base = consumerUrl.toString();
        if (base.endsWith("/")) {
          base = base.substring(0, base.length() - 1);
        }
        String path = consumerPath != null ? consumerPath : "/_w7s/queues/" + name;
        uri = URI.create(base + path);
      }
      return new W7sQueue(this, uri);
    }
  }
}

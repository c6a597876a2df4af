package io.queues4j.server;

import io.queues4j.http.Caller;
import io.queues4j.http.QueueRunRoute;
import io.queues4j.http.RateLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The server's settings once the command line, the environment and the {@code [queues4j.server]}
 * table have been read and checked ({@link SettingsReader}). Secrets are held only as what the
 * server needs: token digests, the signing secret and the key store password.
 *
 * @param configs the configuration files or directories, as given
 * @param wranglerEnvironment the wrangler environment to read, or null for the top level
 * @param store where messages are kept
 * @param host the address to listen on
 * @param port the HTTP port (0: any free port)
 * @param probePort the probe port (0: any free port)
 * @param gracePeriod how long batches in flight may take to finish on shutdown
 * @param tls the key store to serve HTTPS with, or null for plain HTTP
 * @param tokens the accepted bearer tokens, by digest
 * @param w7s the W7S app that declares the w7s.json queues, or null if none is configured
 * @param allowOverride the W7S allowlist that replaces the w7s.json's, or null to keep the file's
 * @param rateLimits the send rate limits
 * @param routes the queue-run enqueue routes
 * @param cloudflare the Cloudflare REST API to serve, or null
 * @param insecureNoAuth whether {@code --insecure-no-auth} was given
 */
record ServerSettings(
    List<String> configs,
    @Nullable String wranglerEnvironment,
    StoreOption store,
    String host,
    int port,
    int probePort,
    Duration gracePeriod,
    @Nullable Tls tls,
    List<Token> tokens,
    @Nullable W7sApp w7s,
    @Nullable List<String> allowOverride,
    RateLimits rateLimits,
    List<QueueRunRoute> routes,
    @Nullable Cloudflare cloudflare,
    boolean insecureNoAuth) {

  /** The public token that {@code --insecure-no-auth} accepts. */
  static final String INSECURE_TOKEN = "queues4j-insecure-no-auth";

  ServerSettings {
    configs = List.copyOf(configs);
    tokens = List.copyOf(tokens);
    allowOverride = allowOverride == null ? null : List.copyOf(allowOverride);
    routes = List.copyOf(routes);
  }

  /**
   * A bearer token by its digest.
   *
   * @param sha256Hex the lowercase hexadecimal SHA-256 of the token's UTF-8 bytes
   * @param caller who the token speaks for
   * @param origin where it was configured (a variable or key), for the banner and errors
   */
  record Token(String sha256Hex, Caller caller, String origin) {}

  /**
   * A key store for HTTPS.
   *
   * @param keyStore the PKCS12 or JKS file
   * @param password its password
   */
  record Tls(Path keyStore, String password) {
    @Override
    public String toString() {
      return "Tls[keyStore=" + keyStore + "]";
    }
  }

  /**
   * The W7S app whose {@code w7s.json} the server serves.
   *
   * @param app the app's owner, repository and deployment environment
   * @param consumerUrl the app's base URL that batches are pushed to, or null if not configured
   * @param signingSecret the secret that signs pushes, or null if not configured
   */
  record W7sApp(Caller app, @Nullable URI consumerUrl, @Nullable String signingSecret) {
    @Override
    public String toString() {
      return "W7sApp[app=" + app + ", consumerUrl=" + consumerUrl + "]";
    }
  }

  /**
   * Cloudflare's REST API for one account.
   *
   * @param accountId 32 hexadecimal digits
   * @param callers the callers allowed on it
   */
  record Cloudflare(String accountId, List<Caller> callers) {
    Cloudflare {
      callers = List.copyOf(callers);
    }
  }
}

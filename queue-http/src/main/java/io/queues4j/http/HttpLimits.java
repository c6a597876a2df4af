package io.queues4j.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Size and time limits of the HTTP server, enforced on every request before any face sees it.
 *
 * <table>
 *   <caption>Limits and defaults</caption>
 *   <tr><th>Limit</th><th>Default</th><th>Range</th><th>Status when exceeded</th></tr>
 *   <tr><td>{@code maxBodyBytes}: request body, counted while it is read</td><td>65,536</td>
 *       <td>1 .. 16 MiB</td><td>413</td></tr>
 *   <tr><td>{@code maxUrlLength}: path and query</td><td>2,048</td><td>64 .. 65,536</td>
 *       <td>414</td></tr>
 *   <tr><td>{@code maxHeaderBytes}: request line and headers</td><td>8,192</td>
 *       <td>1,024 .. 65,536</td><td>431 (or 414 for a request line alone over it)</td></tr>
 *   <tr><td>{@code idleTimeout}: no byte received or sent</td><td>30 s</td>
 *       <td>100 ms .. 1 h</td><td>connection closed</td></tr>
 *   <tr><td>{@code headerTimeout}: a request head must arrive completely within this time of the
 *       connection opening or of its previous response</td><td>10 s</td><td>100 ms .. 1 h</td>
 *       <td>connection closed</td></tr>
 *   <tr><td>{@code requestTimeout}: from a complete head to the end of the response</td>
 *       <td>60 s</td><td>100 ms .. 1 h</td><td>connection closed</td></tr>
 *   <tr><td>{@code maxConnections}: open connections at once</td><td>1,024</td>
 *       <td>1 .. 100,000</td><td>accepting pauses</td></tr>
 * </table>
 *
 * <p>The header timeout is what stops a slow-headers ("slowloris") client: the idle timeout alone
 * restarts with every byte. Immutable and thread-safe.
 */
public final class HttpLimits {
  private static final HttpLimits DEFAULTS = builder().build();

  private final int maxBodyBytes;
  private final int maxUrlLength;
  private final int maxHeaderBytes;
  private final Duration idleTimeout;
  private final Duration headerTimeout;
  private final Duration requestTimeout;
  private final int maxConnections;

  private HttpLimits(Builder b) {
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxUrlLength = b.maxUrlLength;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.idleTimeout = b.idleTimeout;
    this.headerTimeout = b.headerTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxConnections = b.maxConnections;
  }

  /**
   * Returns the defaults (see the table above).
   *
   * @return the defaults
   */
  public static HttpLimits defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder with these limits.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Returns the most bytes of a request body.
   *
   * @return bytes
   */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /**
   * Returns the longest path plus query, in characters.
   *
   * @return characters
   */
  public int maxUrlLength() {
    return maxUrlLength;
  }

  /**
   * Returns the most bytes of the request line and headers together.
   *
   * @return bytes
   */
  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /**
   * Returns how long a connection may stay silent.
   *
   * @return the idle timeout
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * Returns how long a request head may take to arrive.
   *
   * @return the header timeout
   */
  public Duration headerTimeout() {
    return headerTimeout;
  }

  /**
   * Returns how long a request may take from its head to the end of its response.
   *
   * @return the request timeout
   */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * Returns the most connections open at once.
   *
   * @return connections
   */
  public int maxConnections() {
    return maxConnections;
  }

  @Override
  public String toString() {
    return "HttpLimits{maxBodyBytes=" + maxBodyBytes + ", maxUrlLength=" + maxUrlLength
        + ", maxHeaderBytes=" + maxHeaderBytes + ", idleTimeout=" + idleTimeout
        + ", headerTimeout=" + headerTimeout + ", requestTimeout=" + requestTimeout
        + ", maxConnections=" + maxConnections + "}";
  }

  /** Builds {@link HttpLimits}. Not thread-safe. */
  public static final class Builder {
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    private int maxBodyBytes = 65_536;
    private int maxUrlLength = 2_048;
    private int maxHeaderBytes = 8_192;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration headerTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int maxConnections = 1_024;

    private Builder() {}

    private Builder(HttpLimits l) {
      this.maxBodyBytes = l.maxBodyBytes;
      this.maxUrlLength = l.maxUrlLength;
      this.maxHeaderBytes = l.maxHeaderBytes;
      this.idleTimeout = l.idleTimeout;
      this.headerTimeout = l.headerTimeout;
      this.requestTimeout = l.requestTimeout;
      this.maxConnections = l.maxConnections;
    }

    /**
     * Sets the most bytes of a request body.
     *
     * @param bytes 1 to 16,777,216
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = range("maxBodyBytes", bytes, 1, 16 * 1024 * 1024);
      return this;
    }

    /**
     * Sets the longest path plus query.
     *
     * @param chars 64 to 65,536
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxUrlLength(int chars) {
      this.maxUrlLength = range("maxUrlLength", chars, 64, 65_536);
      return this;
    }

    /**
     * Sets the most bytes of the request line and headers together.
     *
     * @param bytes 1,024 to 65,536
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxHeaderBytes(int bytes) {
      this.maxHeaderBytes = range("maxHeaderBytes", bytes, 1_024, 65_536);
      return this;
    }

    /**
     * Sets how long a connection may stay silent.
     *
     * @param timeout 100 ms to 1 h
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout("idleTimeout", timeout);
      return this;
    }

    /**
     * Sets how long a request head may take to arrive.
     *
     * @param timeout 100 ms to 1 h
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder headerTimeout(Duration timeout) {
      this.headerTimeout = timeout("headerTimeout", timeout);
      return this;
    }

    /**
     * Sets how long a request may take from its head to the end of its response.
     *
     * @param timeout 100 ms to 1 h
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout("requestTimeout", timeout);
      return this;
    }

    /**
     * Sets the most connections open at once.
     *
     * @param connections 1 to 100,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxConnections(int connections) {
      this.maxConnections = range("maxConnections", connections, 1, 100_000);
      return this;
    }

    /**
     * Builds the limits.
     *
     * @return the limits
     * @throws IllegalArgumentException if {@code maxUrlLength} is not below {@code
     *     maxHeaderBytes}
     */
    public HttpLimits build() {
      if (maxUrlLength >= maxHeaderBytes) {
        throw new IllegalArgumentException(
            "maxUrlLength (" + maxUrlLength + ") must be below maxHeaderBytes (" + maxHeaderBytes
                + ")");
      }
      return new HttpLimits(this);
    }

    private static int range(String what, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            what + " must be " + min + " to " + max + " but was " + value);
      }
      return value;
    }

    private static Duration timeout(String what, Duration value) {
      requireNonNull(value, what);
      if (value.compareTo(MIN_TIMEOUT) < 0 || value.compareTo(MAX_TIMEOUT) > 0) {
        throw new IllegalArgumentException(what + " must be 100 ms to 1 h but was " + value);
      }
      return value;
    }
  }
}

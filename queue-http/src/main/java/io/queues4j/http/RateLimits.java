package io.queues4j.http;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The rate limits of authenticated sends, as W7S has them: per caller repository, per caller owner
 * and for the whole server, each with any number of {@link RateLimit}s (typically a short window
 * and a day). A request passes only if every bucket that applies has a token; it then takes one
 * from each. A refused request takes none and is answered {@code 429 Too Many Requests} with a
 * {@code Retry-After} header.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>Scope</th><th>Short window</th><th>Day</th></tr>
 *   <tr><td>repository</td><td>100 per second</td><td>100,000</td></tr>
 *   <tr><td>owner</td><td>500 per second</td><td>1,000,000</td></tr>
 *   <tr><td>global</td><td>5,000 per second</td><td>10,000,000</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe.
 */
public final class RateLimits {
  private static final RateLimits DEFAULTS = builder().build();
  private static final RateLimits UNLIMITED =
      builder().perRepo().perOwner().global().build();

  private final List<RateLimit> perRepo;
  private final List<RateLimit> perOwner;
  private final List<RateLimit> global;

  private RateLimits(Builder b) {
    this.perRepo = b.perRepo;
    this.perOwner = b.perOwner;
    this.global = b.global;
  }

  /**
   * Returns the default limits (see the table above).
   *
   * @return the defaults
   */
  public static RateLimits defaults() {
    return DEFAULTS;
  }

  /**
   * Returns limits that never refuse a request, e.g. for benchmarks.
   *
   * @return no limits
   */
  public static RateLimits unlimited() {
    return UNLIMITED;
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
   * Returns the limits of each caller repository.
   *
   * @return an unmodifiable list, possibly empty
   */
  public List<RateLimit> perRepo() {
    return perRepo;
  }

  /**
   * Returns the limits of each caller owner, shared by all its repositories.
   *
   * @return an unmodifiable list, possibly empty
   */
  public List<RateLimit> perOwner() {
    return perOwner;
  }

  /**
   * Returns the limits of the whole server, shared by every caller.
   *
   * @return an unmodifiable list, possibly empty
   */
  public List<RateLimit> global() {
    return global;
  }

  @Override
  public String toString() {
    return "RateLimits{perRepo=" + perRepo + ", perOwner=" + perOwner + ", global=" + global + "}";
  }

  /** Builds {@link RateLimits}. Not thread-safe. */
  public static final class Builder {
    private List<RateLimit> perRepo = List.of(RateLimit.perSecond(100), RateLimit.perDay(100_000));
    private List<RateLimit> perOwner =
        List.of(RateLimit.perSecond(500), RateLimit.perDay(1_000_000));
    private List<RateLimit> global =
        List.of(RateLimit.perSecond(5_000), RateLimit.perDay(10_000_000));

    private Builder() {}

    /**
     * Replaces the limits of each caller repository; none means unlimited.
     *
     * @param limits the limits
     * @return this builder
     * @throws NullPointerException if an argument is {@code null}
     */
    public Builder perRepo(RateLimit... limits) {
      this.perRepo = List.of(requireNonNull(limits, "limits"));
      return this;
    }

    /**
     * Replaces the limits of each caller owner; none means unlimited.
     *
     * @param limits the limits
     * @return this builder
     * @throws NullPointerException if an argument is {@code null}
     */
    public Builder perOwner(RateLimit... limits) {
      this.perOwner = List.of(requireNonNull(limits, "limits"));
      return this;
    }

    /**
     * Replaces the server-wide limits; none means unlimited.
     *
     * @param limits the limits
     * @return this builder
     * @throws NullPointerException if an argument is {@code null}
     */
    public Builder global(RateLimit... limits) {
      this.global = List.of(requireNonNull(limits, "limits"));
      return this;
    }

    /**
     * Builds the limits.
     *
     * @return the limits
     */
    public RateLimits build() {
      return new RateLimits(this);
    }
  }
}

package io.queues4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Token buckets per repository, owner and globally, on an injected clock: no sleeping. */
class RateLimitTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Caller a1 = new Caller("acme", "one", "production");
  private final Caller a2 = new Caller("acme", "two", "production");
  private final Caller b1 = new Caller("beta", "one", "production");

  private static int status(ThrowingRunnable r) {
    try {
      r.run();
      return 200;
    } catch (HttpError e) {
      return e.status;
    }
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws HttpError;
  }

  @Test
  void aRepositoryGetsItsBurstThen429WithRetryAfterUntilTheBucketRefills() throws Exception {
    RateLimiter limiter =
        new RateLimiter(RateLimits.builder().perRepo(new RateLimit(2, Duration.ofSeconds(10))).build(), clock);
    limiter.acquire(a1);
    limiter.acquire(a1);
    HttpError refused = catchRefusal(limiter, a1);
    assertThat(refused.status).isEqualTo(429);
    assertThat(refused.getMessage()).contains("2 sends per PT10S", "repo acme/one");
    assertThat(refused.headers).anySatisfy(h -> {
      assertThat(h.getName()).isEqualTo("Retry-After");
      assertThat(h.getValue()).isEqualTo("5"); // one token every 5 s
    });
    assertThat(status(() -> limiter.acquire(a2))).as("another repo has its own bucket").isEqualTo(200);
    clock.advance(Duration.ofMillis(4_999));
    assertThat(status(() -> limiter.acquire(a1))).isEqualTo(429);
    clock.advance(Duration.ofMillis(1));
    assertThat(status(() -> limiter.acquire(a1))).isEqualTo(200);
    assertThat(status(() -> limiter.acquire(a1))).isEqualTo(429);
  }

  @Test
  void anOwnerSharesOneBucketAcrossItsRepositories() throws Exception {
    RateLimiter limiter =
        new RateLimiter(
            RateLimits.builder().perRepo().perOwner(RateLimit.perMinute(3)).global().build(), clock);
    limiter.acquire(a1);
    limiter.acquire(a2);
    limiter.acquire(a1);
    assertThat(status(() -> limiter.acquire(a2))).isEqualTo(429);
    assertThat(status(() -> limiter.acquire(b1))).isEqualTo(200);
  }

  @Test
  void theGlobalLimitCoversEveryCallerAndADailyLimitOutlastsTheShortOne() throws Exception {
    RateLimiter limiter =
        new RateLimiter(
            RateLimits.builder()
                .perRepo()
                .perOwner()
                .global(RateLimit.perSecond(2), RateLimit.perDay(3))
                .build(),
            clock);
    limiter.acquire(a1);
    limiter.acquire(b1);
    assertThat(status(() -> limiter.acquire(a2))).isEqualTo(429);
    clock.advance(Duration.ofSeconds(1));
    limiter.acquire(a2); // the third of the day
    clock.advance(Duration.ofSeconds(1));
    HttpError refused = catchRefusal(limiter, a1);
    assertThat(refused.getMessage()).contains("3 sends per PT24H", "global");
    // A day's bucket of 3 refills one token every 8 h, continuously: 2 s of it have passed.
    assertThat(refused.headers.get(0).getValue()).isEqualTo(Long.toString(8 * 3600 - 2));
  }

  @Test
  void aRefusedRequestTakesNoTokenFromTheOtherScopes() throws Exception {
    RateLimiter limiter =
        new RateLimiter(
            RateLimits.builder()
                .perRepo(RateLimit.perMinute(1))
                .perOwner(RateLimit.perMinute(2))
                .global()
                .build(),
            clock);
    limiter.acquire(a1);
    for (int i = 0; i < 5; i++) {
      assertThat(status(() -> limiter.acquire(a1))).isEqualTo(429);
    }
    // The owner bucket lost nothing to a1's refusals: a2 still gets the owner's second token.
    assertThat(status(() -> limiter.acquire(a2))).isEqualTo(200);
  }

  @Test
  void unlimitedNeverRefuses() throws Exception {
    RateLimiter limiter = new RateLimiter(RateLimits.unlimited(), clock);
    for (int i = 0; i < 10_000; i++) {
      limiter.acquire(a1);
    }
    assertThat(RateLimits.unlimited().perRepo()).isEmpty();
  }

  @Test
  void limitsRejectBadValuesNamingThem() {
    assertThatThrownBy(() -> new RateLimit(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("permits must be at least 1 but was 0");
    assertThatThrownBy(() -> new RateLimit(1, Duration.ofDays(8)))
        .hasMessageContaining("window must be 1 ms to 7 days but was PT192H");
    assertThat(RateLimits.defaults().perRepo())
        .containsExactly(RateLimit.perSecond(100), RateLimit.perDay(100_000));
  }

  @Test
  void theServerAnswers429WithRetryAfterAndRecoversWhenItsClockMoves() throws Exception {
    try (Fixture fixture =
        new Fixture(b -> b.rateLimits(RateLimits.builder().perRepo(RateLimit.perSecond(1)).build()))) {
      String send = RawHttp.post(Fixture.JOBS, "{}", "Authorization: Bearer " + Fixture.ACME, "Content-Type: application/json");
      assertThat(RawHttp.send(fixture.port(), send).status()).isEqualTo(202);
      long before = fixture.state();
      RawHttp.Response refused = RawHttp.send(fixture.port(), send);
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      assertThat(refused.json().path("error").path("code").asText()).isEqualTo("too_many_requests");
      assertThat(fixture.state()).isEqualTo(before);
      fixture.clock.advance(Duration.ofSeconds(1));
      assertThat(RawHttp.send(fixture.port(), send).status()).isEqualTo(202);
    }
  }

  private static HttpError catchRefusal(RateLimiter limiter, Caller caller) {
    try {
      limiter.acquire(caller);
    } catch (HttpError e) {
      return e;
    }
    throw new AssertionError("expected a refusal");
  }
}

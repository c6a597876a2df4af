package io.queues4j.http;

/** The official Cloudflare client against the Cloudflare face over {@link FakeQueueBackend}. */
class FakeBackendCloudflareSdkInteropTest extends CloudflareSdkInteropTest {
  @Override
  QueueBackend backend(MutableClock clock) {
    return new FakeQueueBackend(clock);
  }
}

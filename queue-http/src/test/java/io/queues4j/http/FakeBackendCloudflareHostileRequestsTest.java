package io.queues4j.http;

/** The Cloudflare face's hostile-request table over {@link FakeQueueBackend}. */
class FakeBackendCloudflareHostileRequestsTest extends CloudflareHostileRequestsTest {
  @Override
  QueueBackend backend(MutableClock clock) {
    return new FakeQueueBackend(clock);
  }
}

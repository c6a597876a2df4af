package io.queues4j.http;

import org.junit.jupiter.api.AfterAll;

/** The Cloudflare face's hostile-request table over the engine. */
class EngineBackendCloudflareHostileRequestsTest extends CloudflareHostileRequestsTest {
  private final EngineBackends engines = new EngineBackends();

  @Override
  QueueBackend backend(MutableClock clock) {
    return engines.backend(clock);
  }

  @AfterAll // the table shares one fixture (and engine) across its rows
  void closeEngines() {
    engines.closeAll();
  }
}

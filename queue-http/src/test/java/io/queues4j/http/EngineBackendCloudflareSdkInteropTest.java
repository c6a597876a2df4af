package io.queues4j.http;

import org.junit.jupiter.api.AfterEach;

/** The official Cloudflare client against the Cloudflare face over the engine. */
class EngineBackendCloudflareSdkInteropTest extends CloudflareSdkInteropTest {
  private final EngineBackends engines = new EngineBackends();

  @Override
  QueueBackend backend(MutableClock clock) {
    return engines.backend(clock);
  }

  @AfterEach
  void closeEngines() {
    engines.closeAll();
  }
}

package io.queues4j.compat;

import io.queues4j.testkit.QueueTestKit;
import io.queues4j.testkit.junit5.QueueTestKitExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A user's test that forgets to run its consumer, so its strict kit fails it on close. Fails on
 * purpose: run only by {@link StrictCloseOnJupiter5Test}, through the engine test kit.
 */
@ExtendWith(QueueTestKitExtension.class)
class LeavesAMessageBehind {
  @Test
  void sendsAndForgets(QueueTestKit kit) {
    StrictCloseOnJupiter5Test.SEEN.add(kit);
    kit.declareQueue("orders");
    kit.<String>queue("orders").send("o-1").join();
  }
}

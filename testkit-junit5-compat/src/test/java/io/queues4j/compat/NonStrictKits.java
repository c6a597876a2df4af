package io.queues4j.compat;

import io.queues4j.testkit.QueueTestKit;
import io.queues4j.testkit.junit5.QueueTestKitExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user's tests with a non-strict kit factory. Run only by {@link StrictCloseOnJupiter5Test},
 * through the engine test kit.
 */
class NonStrictKits {
  @RegisterExtension
  final QueueTestKitExtension queues =
      new QueueTestKitExtension(() -> QueueTestKit.builder().strict(false).build());

  @Test
  void first(QueueTestKit kit) {
    StrictCloseOnJupiter5Test.SEEN.add(kit);
    kit.declareQueue("orders");
    kit.<String>queue("orders").send("left behind, quietly").join();
  }

  @Test
  void second(QueueTestKit kit) {
    StrictCloseOnJupiter5Test.SEEN.add(kit);
  }
}

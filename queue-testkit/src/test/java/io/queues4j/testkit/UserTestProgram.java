package io.queues4j.testkit;

import io.queues4j.MessageSendRequest;
import io.queues4j.core.ConsumerSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's test as a program, run by {@link WiringTest} in JVMs that see different processor
 * counts: a consumer with default settings (so {@code maxConcurrency} unset) and a burst of
 * messages. Prints each delivery; the output must not depend on the machine.
 */
public final class UserTestProgram {
  private UserTestProgram() {}

  public static void main(String[] args) {
    System.out.println("processors " + Runtime.getRuntime().availableProcessors());
    try (QueueTestKit kit = QueueTestKit.create()) {
      kit.declareQueue("jobs");
      kit.consume("jobs", Integer.class, ConsumerSettings.defaults(), (batch, ctx) -> {
        List<Integer> bodies = new ArrayList<>();
        batch.messages().forEach(m -> bodies.add(m.body()));
        System.out.println("delivered at " + kit.now() + " " + bodies
            + " in flight " + kit.stats("jobs").inFlightBatches());
      });
      for (int burst = 0; burst < 3; burst++) {
        List<MessageSendRequest<Integer>> batch = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
          batch.add(MessageSendRequest.of(burst * 100 + i));
        }
        kit.<Integer>queue("jobs").sendBatch(batch).join();
      }
      kit.runUntilIdle();
    }
  }
}

package io.queues4j.examples;

import io.queues4j.Message;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.FifoQueue;
import io.queues4j.core.QueueEngine;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seed 003's profile updates on a FIFO queue, {@code update_profile.fifo}: a user changes their
 * email twice in quick succession; the updates are synced to a slow CRM in the order they were
 * made, because the user id is the group, while other users' updates go on in parallel. On a
 * standard queue the two updates of one user could run at once and the first could finish last,
 * leaving the CRM with the old address.
 *
 * <p>Run it with {@code java -cp examples/target/queues4j-demo.jar
 * io.queues4j.examples.UpdateProfile}.
 */
public final class UpdateProfile {
  static final String QUEUE = "update_profile.fifo";

  /** The job: a user's new email. */
  record ProfileUpdate(String userId, String email) {}

  private UpdateProfile() {}

  /**
   * Runs the example and exits with its status.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted while waiting for the queue to drain
   */
  public static void main(String[] args) throws InterruptedException {
    System.exit(run(System.out));
  }

  /**
   * Sends two updates for each of three users and waits until the CRM has them all.
   *
   * @param out where the CRM's writes and the summary go
   * @return 0 if every user ends with their latest email in the CRM, else 1
   * @throws InterruptedException if interrupted while waiting
   */
  static int run(PrintStream out) throws InterruptedException {
    Map<String, String> crm = new ConcurrentHashMap<>();
    List<ProfileUpdate> updates = List.of(
        new ProfileUpdate("u1", "ada@old.example"), new ProfileUpdate("u2", "grace@old.example"),
        new ProfileUpdate("u1", "ada@new.example"), new ProfileUpdate("u3", "linus@example.org"),
        new ProfileUpdate("u2", "grace@new.example"), new ProfileUpdate("u3", "linus@kernel.org"));
    try (QueueEngine engine = QueueEngine.builder().build()) {
      engine.declareQueue(QUEUE);
      engine.consume(QUEUE, ProfileUpdate.class,
          ConsumerSettings.builder().maxBatchSize(1).maxConcurrency(3).build(),
          (batch, ctx) -> {
            for (Message<ProfileUpdate> m : batch.messages()) {
              ProfileUpdate u = m.body();
              slowCrmCall(u); // the first update of a user is the slowest: a race on a standard queue
              crm.put(u.userId(), u.email());
              synchronized (out) {
                out.printf("crm: %s -> %s (group %s, sequence %d)%n", u.userId(), u.email(),
                    m.groupId().orElseThrow(), m.sequenceNumber().orElseThrow());
              }
            }
          });
      FifoQueue<ProfileUpdate> queue = engine.fifoQueue(QUEUE);
      for (ProfileUpdate u : updates) {
        queue.group(u.userId()).send(u).join(); // the user id orders each user's updates
      }
      boolean drained =
          Await.until(() -> engine.stats(QUEUE).acked() == updates.size(), Duration.ofSeconds(10));
      boolean latest = crm.equals(Map.of(
          "u1", "ada@new.example", "u2", "grace@new.example", "u3", "linus@kernel.org"));
      out.println("crm holds every user's latest email: " + latest);
      return drained && latest ? 0 : 1;
    }
  }

  private static void slowCrmCall(ProfileUpdate u) {
    long until = System.nanoTime() + (u.email().contains("old") ? 50_000_000L : 1_000_000L);
    while (System.nanoTime() < until) {
      Thread.onSpinWait(); // stands in for a network call
    }
  }
}

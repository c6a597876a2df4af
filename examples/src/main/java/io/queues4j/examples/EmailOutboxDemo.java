package io.queues4j.examples;

import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueHandler;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import io.queues4j.core.QueueStats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * An email outbox consumed with per-message verdicts, after the seed's bynk {@code outbox}
 * service on the {@code outbound-email} queue: each email is acknowledged once the mail server
 * takes it, retried after a greylisting reply, and acknowledged without retry after a permanent
 * bounce.
 *
 * <p>Run it with {@code java -cp examples/target/queues4j-demo.jar
 * io.queues4j.examples.EmailOutboxDemo}.
 */
public final class EmailOutboxDemo {
  static final String QUEUE = "outbound-email";

  private static final List<EmailJob> EMAILS =
      List.of(
          new EmailJob("ada@example.com", "Your report is ready"),
          new EmailJob("grace@example.org", "Welcome aboard"),
          new EmailJob("nobody@mailer.invalid", "Password reset"),
          new EmailJob("linus@example.net", "Weekly digest"));

  private EmailOutboxDemo() {}

  /**
   * Runs the example and exits with its status.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted while waiting for the outbox to drain
   */
  public static void main(String[] args) throws InterruptedException {
    System.exit(run(System.out));
  }

  /**
   * Queues four emails, one of them to a domain that does not exist, and waits until the outbox
   * has settled every one.
   *
   * @param out where the attempts and the summary go
   * @return 0 if every email was settled (delivered or bounced) and none dead-lettered, else 1
   * @throws InterruptedException if interrupted while waiting for the outbox to drain
   */
  static int run(PrintStream out) throws InterruptedException {
    FakeMailServer mail = new FakeMailServer();
    try (QueueEngine engine = QueueEngine.builder().build()) {
      engine.declareQueue(QUEUE);
      engine.consume(
          QUEUE,
          EmailJob.class,
          ConsumerSettings.builder().maxBatchTimeout(Duration.ofMillis(100)).maxRetries(3).build(),
          QueueHandler.perMessage(new OutboxConsumer(mail, out)));

      Queue<EmailJob> outbox = engine.queue(QUEUE);
      outbox.sendBatch(EMAILS.stream().map(MessageSendRequest::of).toList()).join();

      boolean drained =
          Await.until(() -> engine.stats(QUEUE).acked() == EMAILS.size(), Duration.ofSeconds(10));
      QueueStats stats = engine.stats(QUEUE);
      out.printf(
          Locale.ROOT,
          "outbox: %d emails queued, %d delivered, %d bounced, %d greylisted retries,"
              + " %d dead-lettered%n",
          stats.sent(),
          mail.delivered().size(),
          stats.acked() - mail.delivered().size(),
          stats.retried(),
          stats.deadLettered() + stats.dropped());
      return drained && stats.deadLettered() + stats.dropped() == 0 ? 0 : 1;
    }
  }
}

package io.queues4j.examples;

import io.queues4j.Message;
import io.queues4j.MessageHandler;
import io.queues4j.QueueResult;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The email outbox consumer, written as one verdict per message like the seed's bynk {@code on
 * message(message: EmailJob) -> Effect[QueueResult]}: it never calls {@code ack()} or {@code
 * retry()} itself, it returns {@link QueueResult#ack()} or {@link QueueResult#retry(String, int)}.
 *
 * <p>The verdict says what should happen to the message, not whether the work succeeded: a
 * permanent bounce is acknowledged, because retrying a message that can never succeed only delays
 * the dead-letter queue. Thread-safe.
 */
final class OutboxConsumer implements MessageHandler<EmailJob> {
  /** Greylisting servers accept a retry after a short wait. */
  private static final int GREYLIST_RETRY_SECONDS = 1;

  private final FakeMailServer mail;
  private final PrintStream log;

  OutboxConsumer(FakeMailServer mail, PrintStream log) {
    this.mail = mail;
    this.log = log;
  }

  // @start region=handler
  @Override
  public QueueResult handle(Message<EmailJob> message) {
    EmailJob email = message.body();
    SmtpReply reply = mail.deliver(email);
    log.printf(Locale.ROOT, "attempt %d to %-24s %s%n", message.attempts(), email.to(), reply);
    if (reply.accepted()) {
      return QueueResult.ack();
    }
    if (reply.temporary()) {
      return QueueResult.retry(reply.toString(), GREYLIST_RETRY_SECONDS);
    }
    // A permanent failure: record the bounce and acknowledge, so the message is not retried.
    log.println("  bounced, not retried: " + email.to());
    return QueueResult.ack();
  }
  // @end region=handler
}

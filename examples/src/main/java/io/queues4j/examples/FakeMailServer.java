package io.queues4j.examples;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A mail server, simulated, with the two failures every outbox meets: greylisting (the first
 * attempt for a new recipient gets a temporary 451, a later one succeeds) and unknown domains (a
 * permanent 550 that no retry will fix). Thread-safe.
 */
final class FakeMailServer {
  private final Set<String> seenRecipients = ConcurrentHashMap.newKeySet();
  private final List<EmailJob> delivered = new CopyOnWriteArrayList<>();

  /** Attempts to deliver one email. */
  SmtpReply deliver(EmailJob email) {
    if (email.to().endsWith(".invalid")) {
      return new SmtpReply(550, "5.1.2 domain of " + email.to() + " does not exist");
    }
    if (seenRecipients.add(email.to())) {
      return new SmtpReply(451, "4.7.1 greylisted, try again later");
    }
    delivered.add(email);
    return new SmtpReply(250, "2.0.0 queued for delivery");
  }

  /** Returns the emails the server took, in the order it took them. */
  List<EmailJob> delivered() {
    return List.copyOf(delivered);
  }
}

package io.queues4j.config;

import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a file declares, gathered while it is read, checked as a whole (one consumer per queue,
 * one queue per binding, no dead-letter cycle) and turned into a {@link QueueConfig}.
 */
final class Declarations {
  private final Report report;
  private final Map<String, String> producers = new LinkedHashMap<>();
  private final Map<String, String> producerPaths = new LinkedHashMap<>();
  private final Map<String, ConsumerDeclaration> consumers = new LinkedHashMap<>();
  private final Map<String, String> consumerPaths = new LinkedHashMap<>();
  private final List<String> queueNames = new ArrayList<>();
  private final List<AllowEntry> allowlist = new ArrayList<>();

  Declarations(Report report) {
    this.report = report;
  }

  Report report() {
    return report;
  }

  void producer(String path, String binding, String queue) {
    String first = producerPaths.putIfAbsent(binding, path);
    if (first != null) {
      report.error(path, "binding \"" + binding + "\" is already declared at " + first
          + "; each binding names one queue");
      return;
    }
    producers.put(binding, queue);
    queue(queue);
  }

  void consumer(String path, ConsumerDeclaration consumer) {
    String first = consumerPaths.putIfAbsent(consumer.queue(), path);
    if (first != null) {
      report.error(path, "queue \"" + consumer.queue() + "\" already has a consumer at " + first
          + "; a queue has one consumer");
      return;
    }
    consumers.put(consumer.queue(), consumer);
    queue(consumer.queue());
    consumer.settings().deadLetterQueue().ifPresent(this::queue);
  }

  /** Records a queue name, keeping first-mention order. */
  void queue(String name) {
    if (!queueNames.contains(name)) {
      queueNames.add(name);
    }
  }

  void allow(AllowEntry entry) {
    allowlist.add(entry);
  }

  /** Checks the declarations as a whole and builds the configuration. */
  QueueConfig finish(
      ConfigFormat format, Queues4jTable q4j, @Nullable String environment) {
    for (Map.Entry<String, Duration> e : q4j.handlerTimeouts.entrySet()) {
      ConsumerDeclaration c = consumers.get(e.getKey());
      String path = "queues4j.consumers." + e.getKey();
      if (c == null) {
        report.error(path, "no consumer is declared for queue \"" + e.getKey() + "\""
            + suggestion(e.getKey(), consumers.keySet()) + "; declared consumers: "
            + consumers.keySet());
      } else {
        ConsumerSettings s = c.settings().toBuilder().handlerTimeout(e.getValue()).build();
        consumers.put(e.getKey(), new ConsumerDeclaration(
            c.queue(), c.type(), s, c.visibilityTimeout(), c.path()));
      }
    }
    checkDeadLetterChains();
    q4j.queues.keySet().forEach(this::queue);
    Map<String, QueueSettings> queues = new LinkedHashMap<>();
    for (String name : queueNames) {
      queues.put(name, q4j.queues.getOrDefault(name, q4j.defaults()));
    }
    return new QueueConfig(
        report.source(), format, q4j.profile, environment, producers, queues, consumers,
        allowlist, report.warnings());
  }

  /** Reports a chain of dead-letter queues that leads back to where it started. */
  private void checkDeadLetterChains() {
    for (ConsumerDeclaration start : consumers.values()) {
      List<String> chain = new ArrayList<>(List.of(start.queue()));
      String next = start.settings().deadLetterQueue().orElse(null);
      while (next != null && !chain.contains(next)) {
        chain.add(next);
        ConsumerDeclaration c = consumers.get(next);
        next = c == null ? null : c.settings().deadLetterQueue().orElse(null);
      }
      // Report each cycle once, from the queue that comes first in the file.
      if (next != null && next.equals(start.queue()) && firstOf(chain).equals(start.queue())) {
        chain.add(next);
        report.error(consumerPaths.getOrDefault(start.queue(), "") + ".dead_letter_queue",
            "dead-letter queues form a cycle: " + String.join(" -> ", chain)
                + "; a dead-letter chain must end in a queue without a dead-letter queue");
      }
    }
  }

  /** Returns the queue of the chain declared first in the file. */
  private String firstOf(List<String> chain) {
    for (String queue : consumers.keySet()) {
      if (chain.contains(queue)) {
        return queue;
      }
    }
    return chain.get(0);
  }

  static String suggestion(String name, java.util.Collection<String> known) {
    String closest = Spelling.closest(name, known);
    return closest == null ? "" : " (did you mean \"" + closest + "\"?)";
  }
}

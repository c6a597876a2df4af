package io.queues4j.http;

import io.queues4j.core.QueueEngine;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real engine and a started server on an ephemeral loopback port, with a standard set of tokens,
 * W7S queues and queue-run routes. Close it to stop both.
 */
final class Fixture implements AutoCloseable {
  static final String ACME = "acme-producer-token-0001";
  static final String ACME_PREVIEW = "acme-preview-token-0001";
  static final String OTHER = "other-owner-token-00001";
  static final String PARTNER = "partner-app-token-00001";
  static final String PARTNER_OTHER = "partner-other-token-001";
  static final String BURST = "acme-burst-token-000001";

  static final String JOBS = "/api/v1/queues/acme/worker/jobs";
  static final String SHARED = "/api/v1/queues/acme/shared/jobs";
  static final String TASKS_QUEUE = "tasks";

  static final List<String> QUEUES =
      List.of(
          "w7s:acme/worker/production/jobs",
          "w7s:acme/shared/production/jobs",
          "w7s:acme/worker/preview/other",
          "updates.fifo",
          TASKS_QUEUE);

  final QueueEngine engine;
  final QueueHttpServer server;
  final MutableClock clock = new MutableClock(Instant.parse("2026-05-24T21:59:00Z"));

  Fixture() {
    this(UnaryOperator.identity());
  }

  /** A FIFO queue exported at {@code /users/{group}/updates/{dedupe}}. */
  static final String UPDATES_FIFO = "updates.fifo";

  Fixture(UnaryOperator<QueueHttpServer.Builder> customize) {
    engine = QueueEngine.builder().build();
    engine.declareQueue(TASKS_QUEUE);
    engine.declareQueue(UPDATES_FIFO);
    QueueHttpServer.Builder b =
        QueueHttpServer.builder(engine)
            .clock(clock)
            .token(ACME, new Caller("acme", "producer", "production"))
            .token(ACME_PREVIEW, new Caller("acme", "producer", "preview"))
            .token(OTHER, new Caller("other", "app", "production"))
            .token(PARTNER, new Caller("partner", "app", "production"))
            .tokenSha256(TokenRegistry.sha256Hex(PARTNER_OTHER), new Caller("partner", "other", "production"))
            .token(BURST, new Caller("acme", "burst", "production"))
            .w7sQueue(W7sQueue.builder("acme", "worker", "jobs").build())
            .w7sQueue(W7sQueue.builder("acme", "shared", "jobs").allow("partner/app").build())
            .w7sQueue(W7sQueue.builder("acme", "worker", "other").environment("preview").build())
            .queueRunRoute(QueueRunRoute.of("/tasks", TASKS_QUEUE))
            .queueRunRoute(
                QueueRunRoute.of("/tasks/{group}/json", TASKS_QUEUE).accepting(QueueRunRoute.JSON))
            .queueRunRoute(QueueRunRoute.of("/users/{group}/updates/{dedupe}", UPDATES_FIFO));
    server = customize.apply(b).build();
    server.start();
  }

  int port() {
    return server.port();
  }

  /** Messages ever accepted plus messages queued now, over every queue: any enqueue changes it. */
  long state() {
    long total = 0;
    for (String q : QUEUES) {
      var stats = engine.stats(q);
      total += stats.sent() * 1_000_000L + stats.metrics().backlogCount();
    }
    return total;
  }

  @Override
  public void close() {
    server.close();
    engine.close();
  }
}

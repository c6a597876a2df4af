package io.queues4j.core;

import io.queues4j.QueueSendResult;
import io.queues4j.spi.StoredMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A send waiting for backlog room; admitted in arrival order, or failed at its deadline. */
final class PendingSend {
  final List<StoredMessage> messages;
  final long bytes;
  final long cost;
  final long deadline;
  final CompletableFuture<QueueSendResult> result = new CompletableFuture<>();
  final String operation;

  PendingSend(
      List<StoredMessage> messages, long bytes, long cost, long deadline, String operation) {
    this.operation = operation;
    this.messages = messages;
    this.bytes = bytes;
    this.cost = cost;
    this.deadline = deadline;
  }
}

package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueMetrics;
import io.queues4j.QueueSendBatchOptions;
import io.queues4j.QueueSendOptions;
import io.queues4j.QueueSendResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A producer binding that tells the {@link Recorder} the bodies and options of a send before
 * handing it to the engine's binding, so that the recorded send carries them. Thread-safe.
 */
final class RecordingQueue<B> implements Queue<B> {
  private final Queue<B> delegate;
  private final Recorder recorder;

  RecordingQueue(Queue<B> delegate, Recorder recorder) {
    this.delegate = delegate;
    this.recorder = recorder;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public CompletableFuture<QueueSendResult> send(B body, QueueSendOptions options) {
    requireNonNull(body, "body");
    requireNonNull(options, "options");
    Recorder.PendingSend previous =
        recorder.begin(name(), List.of(new Recorder.Item(body, options)));
    try {
      return delegate.send(body, options);
    } finally {
      recorder.end(previous);
    }
  }

  @Override
  public CompletableFuture<QueueSendResult> sendBatch(
      Iterable<MessageSendRequest<B>> messages, QueueSendBatchOptions options) {
    requireNonNull(messages, "messages");
    requireNonNull(options, "options");
    List<MessageSendRequest<B>> requests = new ArrayList<>();
    List<Recorder.Item> items = new ArrayList<>();
    for (MessageSendRequest<B> request : messages) {
      requests.add(requireNonNull(request, "messages must not contain null"));
      items.add(
          new Recorder.Item(
              request.body(),
              new QueueSendOptions(
                  request.contentType(),
                  request.delaySeconds().isPresent()
                      ? request.delaySeconds()
                      : options.delaySeconds())));
    }
    Recorder.PendingSend previous = recorder.begin(name(), items);
    try {
      return delegate.sendBatch(requests, options);
    } finally {
      recorder.end(previous);
    }
  }

  @Override
  public CompletableFuture<QueueMetrics> metrics() {
    return delegate.metrics();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}

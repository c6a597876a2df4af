package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueException;
import io.queues4j.QueueMetrics;
import io.queues4j.QueueSendBatchOptions;
import io.queues4j.QueueSendOptions;
import io.queues4j.QueueSendResult;
import io.queues4j.core.QueueEngine;
import io.queues4j.core.QueueLimits;
import io.queues4j.core.QueueSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Queue} for tests of code that only sends: it records every accepted message and can be
 * told to fail sends, to exercise the caller's error handling.
 *
 * <pre>{@code
 * FakeQueue<Order> orders = FakeQueue.create("orders");
 * new OrderService(orders).place(new Order(1));
 * assertEquals(List.of(new Order(1)), orders.sentBodies());
 * }</pre>
 *
 * <p><b>Validation is the engine's own:</b> the fake is a real engine queue with no consumer, so
 * every message simply stays queued, and an oversize message, an empty or oversize batch, a body
 * that does not match its content type or cannot be encoded fails here exactly as in production
 * (the returned future completes exceptionally with the same {@link QueueException}) and records
 * nothing.
 *
 * <p><b>Injected failures</b> ({@link #failNextSends}, {@link #failAllSends}) make a {@code send}
 * or {@code sendBatch} call return a future failed with the given exception, enqueuing nothing,
 * before any validation; {@code null} arguments still throw {@link NullPointerException}.
 *
 * <p><b>Thread-safety:</b> safe for concurrent use. It starts no thread and needs no closing.
 *
 * @param <B> the body type
 */
public final class FakeQueue<B> implements Queue<B> {
  private final String name;
  private final ManualClock clock;
  private final Recorder recorder = new Recorder();
  private final Queue<B> delegate;
  private final Object failureLock = new Object();
  private @Nullable QueueException failure; // guarded by failureLock
  private int failuresLeft; // guarded by failureLock; < 0 means "until told otherwise"

  private FakeQueue(Builder b) {
    this.name = b.name;
    this.clock = b.clock != null ? b.clock : ManualClock.create();
    VirtualScheduler scheduler = new VirtualScheduler((idle, deadline) -> true); // no consumer
    DeferredExecutor executor = new DeferredExecutor();
    QueueEngine.Builder engine =
        QueueEngine.builder()
            .clock(clock)
            .messageIdSeed(0)
            .scheduler(scheduler)
            .executor(executor)
            .listener(recorder)
            .limits(b.limits)
            .shutdownGracePeriod(Duration.ZERO);
    if (b.mapper != null) {
      engine.objectMapper(b.mapper);
    }
    QueueEngine built = engine.build();
    built.declareQueue(name, b.settings);
    this.delegate = new RecordingQueue<>(built.<B>queue(name), recorder);
  }

  /**
   * Returns a fake with Cloudflare's limits, a plain Jackson mapper and a new {@link ManualClock}.
   *
   * @param name the queue name, not blank
   * @param <B> the body type
   * @return a new fake
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static <B> FakeQueue<B> create(String name) {
    return builder(name).build();
  }

  /**
   * Returns a builder for a fake queue.
   *
   * @param name the queue name, not blank
   * @return a new builder
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder builder(String name) {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("queue name must not be blank but was '" + name + "'");
    }
    return new Builder(name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<QueueSendResult> send(B body, QueueSendOptions options) {
    requireNonNull(body, "body");
    requireNonNull(options, "options");
    QueueException injected = nextFailure();
    if (injected != null) {
      return CompletableFuture.failedFuture(injected);
    }
    return delegate.send(body, options);
  }

  @Override
  public CompletableFuture<QueueSendResult> sendBatch(
      Iterable<MessageSendRequest<B>> messages, QueueSendBatchOptions options) {
    requireNonNull(messages, "messages");
    requireNonNull(options, "options");
    QueueException injected = nextFailure();
    if (injected != null) {
      return CompletableFuture.failedFuture(injected);
    }
    return delegate.sendBatch(messages, options);
  }

  @Override
  public CompletableFuture<QueueMetrics> metrics() {
    return delegate.metrics();
  }

  // ---- recorded sends ----

  /**
   * Returns every message accepted so far, oldest first.
   *
   * @return a snapshot
   */
  public List<RecordedSend> sent() {
    return recorder.sends(null);
  }

  /**
   * Returns the bodies of every message accepted so far, oldest first: the objects the caller
   * passed.
   *
   * @return a snapshot
   */
  @SuppressWarnings("unchecked") // every recorded body came through send(B) or sendBatch(B)
  public List<B> sentBodies() {
    return sent().stream().map(s -> (B) s.body()).toList();
  }

  /**
   * Returns the clock that stamps sends; advance it to tell sends apart in time.
   *
   * @return the clock
   */
  public ManualClock clock() {
    return clock;
  }

  // ---- failure injection ----

  /**
   * Makes the next {@code count} send calls fail with {@code failure}.
   *
   * @param count how many calls, at least 1
   * @param failure the exception each failed future completes with
   * @throws IllegalArgumentException if {@code count < 1}
   */
  public void failNextSends(int count, QueueException failure) {
    requireNonNull(failure, "failure");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1 but was " + count);
    }
    synchronized (failureLock) {
      this.failure = failure;
      this.failuresLeft = count;
    }
  }

  /**
   * Makes the next send call fail the way an overloaded queue does: with a {@link QueueException}
   * saying {@code Too Many Requests}.
   */
  public void failNextSend() {
    failNextSends(1, tooManyRequests());
  }

  /**
   * Makes every send call fail with {@code failure} until {@link #stopFailing()}.
   *
   * @param failure the exception each failed future completes with
   */
  public void failAllSends(QueueException failure) {
    requireNonNull(failure, "failure");
    synchronized (failureLock) {
      this.failure = failure;
      this.failuresLeft = -1;
    }
  }

  /** Cancels injected failures: sends succeed again (if valid). */
  public void stopFailing() {
    synchronized (failureLock) {
      this.failure = null;
      this.failuresLeft = 0;
    }
  }

  private QueueException tooManyRequests() {
    return new QueueException(
        name, "Queue send failed: Too Many Requests (injected by FakeQueue '" + name + "')");
  }

  private @Nullable QueueException nextFailure() {
    synchronized (failureLock) {
      QueueException f = failure;
      if (f != null && failuresLeft > 0 && --failuresLeft == 0) {
        failure = null;
      }
      return f;
    }
  }

  @Override
  public String toString() {
    return "FakeQueue{" + name + ", sent=" + sent().size() + "}";
  }

  /** Builds a {@link FakeQueue}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private @Nullable ManualClock clock;
    private @Nullable ObjectMapper mapper;
    private QueueLimits limits = QueueLimits.cloudflare();
    private QueueSettings settings = QueueSettings.defaults();

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Sets the clock that stamps sends; by default a new one at {@link
     * ManualClock#DEFAULT_START}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(ManualClock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the Jackson mapper that encodes JSON bodies, as in production.
     *
     * @param mapper the mapper
     * @return this builder
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Sets the size limits; Cloudflare's by default.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(QueueLimits limits) {
      this.limits = requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Sets the queue's settings, such as a default delivery delay (visible in {@link
     * RecordedSend#visibleAt()}).
     *
     * @param settings the settings
     * @return this builder
     */
    public Builder settings(QueueSettings settings) {
      this.settings = requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Builds the fake.
     *
     * @param <B> the body type
     * @return a new fake, empty
     */
    public <B> FakeQueue<B> build() {
      return new FakeQueue<>(this);
    }
  }
}

package io.queues4j.testkit;

import io.queues4j.QueueSendOptions;
import io.queues4j.core.QueueEvent;
import io.queues4j.core.QueueListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The engine listener behind {@link QueueHistory}: turns events into recorded values and keeps a
 * ledger of every message not yet settled, for strict close.
 *
 * <p>Bodies and options are not part of the engine's events; a {@link RecordingQueue} announces
 * them on its thread just before it calls the engine, and the engine reports {@link
 * QueueEvent.Sent} synchronously on that same thread, so the two are paired without guessing.
 * Thread-safe: one lock guards everything, and no user code runs under it.
 */
final class Recorder implements QueueListener {
  /** The body recorded for a message sent by something other than a testkit binding. */
  static final String UNKNOWN_BODY = "<unknown: not sent through the testkit>";

  private static final Set<String> INTERNAL_PACKAGES = Set.of("io.queues4j", "io.queues4j.core");

  /** The testkit classes on the path of a send; other classes of the package are user code. */
  private static final Set<String> INTERNAL_CLASSES =
      Set.of(
          Recorder.class.getName(), RecordingQueue.class.getName(), FakeQueue.class.getName());

  private final Object lock = new Object();
  /** The send in progress on this thread, shared by every recorder: see the class description. */
  private static final ThreadLocal<@Nullable PendingSend> PENDING = new ThreadLocal<>();

  // guarded by lock
  private final List<QueueEvent> events = new ArrayList<>();
  private final List<RecordedSend> sends = new ArrayList<>();
  private final List<RecordedDelivery> deliveries = new ArrayList<>();
  private final List<RecordedOutcome> outcomes = new ArrayList<>();
  private final List<RecordedFailure> failures = new ArrayList<>();
  private final List<RecordedFailure> handlerErrors = new ArrayList<>();
  private final Map<String, Object> bodies = new HashMap<>();
  private final Map<String, Tracked> open = new LinkedHashMap<>();
  private long acceptedCalls;

  /** One message of a send in progress: its body and effective options. */
  record Item(Object body, QueueSendOptions options) {}

  /** A send call in progress on one thread. */
  static final class PendingSend {
    final Recorder owner;
    final String queue;
    final List<Item> items;
    final String origin;
    int cursor;
    long call;

    PendingSend(Recorder owner, String queue, List<Item> items, String origin) {
      this.owner = owner;
      this.queue = queue;
      this.items = items;
      this.origin = origin;
    }
  }

  private enum State {
    QUEUED("queued"),
    IN_FLIGHT("in flight"),
    DEAD_LETTER("dead letter");

    final String label;

    State(String label) {
      this.label = label;
    }
  }

  private static final class Tracked {
    String queue;
    State state = State.QUEUED;
    final RecordedSend send;
    final String origin;

    Tracked(RecordedSend send, String origin) {
      this.queue = send.queue();
      this.send = send;
      this.origin = origin;
    }
  }

  // ---- announcing sends ----

  /** Announces a send on this thread; returns what to pass to {@link #end}. */
  @Nullable PendingSend begin(String queue, List<Item> items) {
    PendingSend previous = PENDING.get();
    PENDING.set(new PendingSend(this, queue, items, caller()));
    return previous;
  }

  void end(@Nullable PendingSend previous) {
    if (previous == null) {
      PENDING.remove();
    } else {
      PENDING.set(previous);
    }
  }

  /** The first stack frame outside queues4j: where the code under test sent from. */
  private static String caller() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames
                    .filter(f -> !internal(f.getClassName()))
                    .findFirst()
                    .map(f -> f.toStackTraceElement().toString())
                    .orElse("unknown"));
  }

  private static boolean internal(String className) {
    int dollar = className.indexOf('$');
    String outer = dollar < 0 ? className : className.substring(0, dollar);
    int dot = className.lastIndexOf('.');
    String pkg = dot < 0 ? "" : className.substring(0, dot);
    return INTERNAL_CLASSES.contains(outer) || INTERNAL_PACKAGES.contains(pkg);
  }

  // ---- recording ----

  @Override
  public void onEvent(QueueEvent event) {
    synchronized (lock) {
      events.add(event);
      if (event instanceof QueueEvent.Sent sent) {
        onSent(sent);
      } else if (event instanceof QueueEvent.Delivered delivered) {
        onDelivered(delivered);
      } else if (event instanceof QueueEvent.Failed failed) {
        RecordedFailure failure =
            new RecordedFailure(failed.queue(), failed.at(), failed.messageIds(), failed.cause());
        failures.add(failure);
        if (failed.cause() instanceof Error) {
          handlerErrors.add(failure);
        }
      } else if (event instanceof QueueEvent.Acked acked) {
        outcome(acked, acked.messageId(), acked.attempts(), MessageOutcome.acked());
        open.remove(acked.messageId());
      } else if (event instanceof QueueEvent.Retried retried) {
        outcome(
            retried, retried.messageId(), retried.attempts(), MessageOutcome.retried(retried.delay()));
        move(retried.messageId(), retried.queue(), State.QUEUED);
      } else if (event instanceof QueueEvent.DeadLettered dead) {
        outcome(
            dead,
            dead.messageId(),
            dead.attempts(),
            MessageOutcome.deadLettered(dead.deadLetterQueue()));
        move(dead.messageId(), dead.deadLetterQueue(), State.DEAD_LETTER);
      } else if (event instanceof QueueEvent.Dropped dropped) {
        outcome(dropped, dropped.messageId(), dropped.attempts(), MessageOutcome.dropped());
        open.remove(dropped.messageId());
      } else if (event instanceof QueueEvent.DeadLetterEvicted evicted) {
        outcome(evicted, evicted.messageId(), 0, MessageOutcome.evicted());
        open.remove(evicted.messageId());
      } else if (event instanceof QueueEvent.Expired expired) {
        outcome(expired, expired.messageId(), expired.attempts(), MessageOutcome.expired());
        open.remove(expired.messageId());
      }
    }
  }

  private void onSent(QueueEvent.Sent sent) {
    PendingSend p = PENDING.get();
    Object body = UNKNOWN_BODY;
    QueueSendOptions options = new QueueSendOptions(sent.contentType(), OptionalInt.empty());
    String origin = "unknown";
    long call;
    if (p != null && p.owner == this && p.queue.equals(sent.queue()) && p.cursor < p.items.size()) {
      Item item = p.items.get(p.cursor++);
      body = item.body();
      options = item.options();
      origin = p.origin;
      if (p.call == 0) {
        p.call = ++acceptedCalls;
      }
      call = p.call;
    } else {
      call = ++acceptedCalls;
    }
    RecordedSend send =
        new RecordedSend(
            sent.queue(),
            sent.messageId(),
            body,
            options,
            sent.at(),
            sent.visibleAt(),
            sent.bytes(),
            call);
    sends.add(send);
    bodies.put(sent.messageId(), body);
    open.put(sent.messageId(), new Tracked(send, origin));
  }

  private void onDelivered(QueueEvent.Delivered delivered) {
    List<Object> batchBodies = new ArrayList<>(delivered.messageIds().size());
    for (String id : delivered.messageIds()) {
      batchBodies.add(bodyOf(id));
      move(id, delivered.queue(), State.IN_FLIGHT);
    }
    deliveries.add(
        new RecordedDelivery(
            delivered.queue(),
            delivered.at(),
            delivered.messageIds(),
            delivered.attempts(),
            batchBodies));
  }

  private void outcome(QueueEvent event, String id, int attempts, MessageOutcome outcome) {
    outcomes.add(new RecordedOutcome(event.queue(), event.at(), id, bodyOf(id), attempts, outcome));
  }

  private Object bodyOf(String id) {
    Object body = bodies.get(id);
    return body == null ? UNKNOWN_BODY : body;
  }

  private void move(String id, String queue, State state) {
    Tracked tracked = open.get(id);
    if (tracked != null) {
      tracked.queue = queue;
      tracked.state = state;
    }
  }

  /** Settles dead letters the test drained: they are accounted for. */
  void forget(Collection<String> ids) {
    synchronized (lock) {
      for (String id : ids) {
        open.remove(id);
      }
    }
  }

  void clearHistory() {
    synchronized (lock) {
      events.clear();
      sends.clear();
      deliveries.clear();
      outcomes.clear();
      failures.clear();
    }
  }

  // ---- reading ----

  List<QueueEvent> events() {
    synchronized (lock) {
      return List.copyOf(events);
    }
  }

  List<RecordedSend> sends(@Nullable String queue) {
    return snapshot(sends, queue, RecordedSend::queue);
  }

  List<RecordedDelivery> deliveries(@Nullable String queue) {
    return snapshot(deliveries, queue, RecordedDelivery::queue);
  }

  List<RecordedOutcome> outcomes(@Nullable String queue) {
    return snapshot(outcomes, queue, RecordedOutcome::queue);
  }

  List<RecordedFailure> failures(@Nullable String queue) {
    return snapshot(failures, queue, RecordedFailure::queue);
  }

  private <T> List<T> snapshot(List<T> list, @Nullable String queue, Function<T, String> queueOf) {
    synchronized (lock) {
      if (queue == null) {
        return List.copyOf(list);
      }
      return list.stream().filter(t -> queue.equals(queueOf.apply(t))).toList();
    }
  }

  /**
   * Describes every message not settled and every handler that failed with an {@link Error}, or
   * returns {@code null} if there is none.
   */
  @Nullable String problems() {
    synchronized (lock) {
      if (open.isEmpty() && handlerErrors.isEmpty()) {
        return null;
      }
      StringBuilder text = new StringBuilder();
      if (!open.isEmpty()) {
        text.append(open.size())
            .append(open.size() == 1 ? " message is" : " messages are")
            .append(" not settled (run them with advance() or runUntilIdle(), take dead letters")
            .append(" with drainDeadLetters(queue), or opt out with strict(false)):");
        Map<String, List<Tracked>> byQueue = new TreeMap<>();
        for (Tracked t : open.values()) {
          byQueue.computeIfAbsent(t.queue, q -> new ArrayList<>()).add(t);
        }
        byQueue.forEach(
            (queue, list) -> {
              text.append("\n  queue '").append(queue).append("':");
              for (Tracked t : list) {
                text.append("\n    ")
                    .append(t.state.label)
                    .append(' ')
                    .append(t.send.messageId())
                    .append(" body=")
                    .append(t.send.body())
                    .append(", sent to '")
                    .append(t.send.queue())
                    .append("' at ")
                    .append(t.send.at())
                    .append(" from ")
                    .append(t.origin);
              }
            });
      }
      if (!handlerErrors.isEmpty()) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(handlerErrors.size())
            .append(" handler invocation(s) failed with an Error, such as a failed assertion inside")
            .append(" a handler; the engine retried their messages:");
        for (RecordedFailure f : handlerErrors) {
          text.append("\n  queue '")
              .append(f.queue())
              .append("' at ")
              .append(f.at())
              .append(": ")
              .append(f.cause());
        }
      }
      return text.toString();
    }
  }

  /** The causes of handler invocations that failed with an {@link Error}. */
  List<Throwable> handlerErrors() {
    synchronized (lock) {
      return handlerErrors.stream().map(RecordedFailure::cause).toList();
    }
  }
}

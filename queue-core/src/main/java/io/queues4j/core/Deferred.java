package io.queues4j.core;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Work chosen under a queue lock and carried out after it is released: invocations to start and
 * actions (events to report, futures to complete, messages to log, dead letters to move). Lists
 * are created on first use, so the common case allocates nothing.
 */
final class Deferred {
  private @Nullable List<Invocation<?>> invocations;
  private @Nullable List<Runnable> actions;
  boolean roomFreed;
  /** Pieces of work this step finished; counted off after its actions and launches ran. */
  int workDone;
  /**
   * Set when the actions run: whether they run on a delivery thread whose handler has returned, so
   * that a claim among them may start its first batch on that thread.
   */
  boolean onHandlerThread;

  void start(Invocation<?> invocation) {
    if (invocations == null) {
      invocations = new ArrayList<>(2);
    }
    invocations.add(invocation);
  }

  void then(Runnable action) {
    if (actions == null) {
      actions = new ArrayList<>(4);
    }
    actions.add(action);
  }

  List<Invocation<?>> invocations() {
    return invocations == null ? List.of() : invocations;
  }

  List<Runnable> actions() {
    return actions == null ? List.of() : actions;
  }
}

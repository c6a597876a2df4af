package io.queues4j.core;

import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps batch launches from nesting on one thread. With a same-thread executor ({@code
 * Runnable::run}) a launch runs its handler, whose settlement launches the next batch, and so on:
 * without this, every batch would be one stack level deeper than the last and a long backlog would
 * overflow the stack. A launch made while another launch is running on the same thread is queued
 * and run by the outermost one after it returns, so the depth stays constant whatever the executor.
 */
final class Trampoline {
  private static final Logger logger = LoggerFactory.getLogger(Trampoline.class);
  private static final ThreadLocal<@Nullable Trampoline> CURRENT = new ThreadLocal<>();

  private final ArrayDeque<Runnable> queued = new ArrayDeque<>();

  private Trampoline() {}

  /** Runs {@code task} now, or after the task this thread is already running here. */
  static void run(Runnable task) {
    Trampoline running = CURRENT.get();
    if (running != null) {
      running.queued.addLast(task);
      return;
    }
    Trampoline trampoline = new Trampoline();
    CURRENT.set(trampoline);
    try {
      Runnable next = task;
      while (next != null) {
        try {
          next.run();
        } catch (RuntimeException | Error e) { // launches handle their own failures; not this
          logger.error("A batch launch failed", e);
        }
        next = trampoline.queued.pollFirst();
      }
    } finally {
      CURRENT.remove();
    }
  }
}

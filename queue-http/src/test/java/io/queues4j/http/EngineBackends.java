package io.queues4j.http;

import io.queues4j.core.QueueEngine;
import io.queues4j.core.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Engine-backed backends for the Cloudflare face's tests: an engine on the test's {@link
 * MutableClock}, whose timers (lease ends, retention sweeps, retry delays) run when the test moves
 * the clock with {@link #advance}. Every engine made here is closed by {@link #closeAll}.
 */
final class EngineBackends {
  private final List<QueueEngine> engines = new ArrayList<>();
  private final List<Timers> timers = new ArrayList<>();

  /** Timers on a {@link MutableClock}: due ones run, in time order, when it is advanced. */
  static final class Timers implements Scheduler {
    private final PriorityQueue<Timer> queue =
        new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
            : Long.compare(a.sequence, b.sequence));
    private long sequence;

    private record Timer(long at, long sequence, Runnable task) {}

    @Override
    public synchronized Cancellable schedule(Instant at, Runnable task) {
      Timer timer = new Timer(at.toEpochMilli(), sequence++, task);
      queue.add(timer);
      return () -> {
        synchronized (this) {
          queue.remove(timer);
        }
      };
    }

    /** Runs every timer due at or before {@code now}, one at a time, outside the lock. */
    void runDue(long now) {
      while (true) {
        Timer due;
        synchronized (this) {
          Timer next = queue.peek();
          if (next == null || next.at > now) {
            return;
          }
          due = queue.poll();
        }
        due.task.run();
      }
    }
  }

  EngineQueueBackend backend(MutableClock clock) {
    Timers t = new Timers();
    QueueEngine engine = QueueEngine.builder().clock(clock).scheduler(t).executor(Runnable::run)
        .shutdownGracePeriod(Duration.ZERO).build();
    engines.add(engine);
    timers.add(t);
    return new EngineQueueBackend(engine, clock);
  }

  /** Moves the clock, then runs the timers that became due. */
  void advance(MutableClock clock, Duration by) {
    clock.advance(by);
    for (Timers t : timers) {
      t.runDue(clock.millis());
    }
  }

  void closeAll() {
    engines.forEach(QueueEngine::close);
  }
}

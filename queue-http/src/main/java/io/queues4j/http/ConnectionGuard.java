package io.queues4j.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections that are too slow to be honest: one whose next request head has not arrived
 * within the header timeout (a slowloris client sending headers byte by byte resets Jetty's idle
 * timeout with every byte, but not this deadline), or whose request has lasted longer than the
 * request timeout.
 *
 * <p>Each HTTP connection is in one of two phases: waiting for a request head (since it opened or
 * since its previous response ended) or in a request (since the head arrived). A sweep on Jetty's
 * scheduler, a few times per timeout, closes the connections past their phase's deadline. TLS
 * connections are tracked through the HTTP connection above them; closing that closes both.
 *
 * <p>Thread-safety: phases are set by Jetty's threads and read by the sweep; each state is two
 * volatile fields, and a sweep that reads a stale phase errs by one sweep period at most.
 */
final class ConnectionGuard implements Connection.Listener {
  private static final Logger logger = LoggerFactory.getLogger(ConnectionGuard.class);

  private static final class State {
    volatile boolean inRequest;
    volatile long since;

    State(long now) {
      this.since = now;
    }
  }

  private final Map<Connection, State> states = new ConcurrentHashMap<>();
  private final long headerTimeoutNanos;
  private final long requestTimeoutNanos;
  private final long sweepNanos;
  private volatile boolean running;

  ConnectionGuard(Duration headerTimeout, Duration requestTimeout) {
    this.headerTimeoutNanos = headerTimeout.toNanos();
    this.requestTimeoutNanos = requestTimeout.toNanos();
    this.sweepNanos =
        Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(headerTimeoutNanos, requestTimeoutNanos) / 5);
  }

  void start(Scheduler scheduler) {
    running = true;
    scheduleSweep(scheduler);
  }

  void stop() {
    running = false;
  }

  private void scheduleSweep(Scheduler scheduler) {
    if (!running) {
      return;
    }
    scheduler.schedule(
        () -> {
          try {
            sweep(System.nanoTime());
          } finally {
            scheduleSweep(scheduler);
          }
        },
        sweepNanos,
        TimeUnit.NANOSECONDS);
  }

  @Override
  public void onOpened(Connection connection) {
    if (!(connection instanceof SslConnection)) {
      states.put(connection, new State(System.nanoTime()));
    }
  }

  @Override
  public void onClosed(Connection connection) {
    states.remove(connection);
  }

  void requestStarted(Connection connection) {
    State s = states.get(connection);
    if (s != null) {
      s.since = System.nanoTime();
      s.inRequest = true;
    }
  }

  void requestEnded(Connection connection) {
    State s = states.get(connection);
    if (s != null) {
      s.inRequest = false;
      s.since = System.nanoTime();
    }
  }

  /** Closes every connection that is not in the middle of a request (for a prompt shutdown). */
  void closeIdle() {
    states.forEach(
        (connection, s) -> {
          if (!s.inRequest) {
            states.remove(connection);
            connection.close();
          }
        });
  }

  int tracked() {
    return states.size();
  }

  void sweep(long now) {
    states.forEach(
        (connection, s) -> {
          boolean inRequest = s.inRequest;
          long limit = inRequest ? requestTimeoutNanos : headerTimeoutNanos;
          if (now - s.since > limit) {
            logger.debug(
                "closing {}: {} took longer than {} ms",
                connection.getEndPoint().getRemoteSocketAddress(),
                inRequest ? "request" : "request head",
                TimeUnit.NANOSECONDS.toMillis(limit));
            states.remove(connection);
            connection.close();
          }
        });
  }
}

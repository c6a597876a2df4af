package io.queues4j.server;

import io.queues4j.core.QueueEngine;
import io.queues4j.core.ShutdownReport;
import io.queues4j.http.QueueHttpServer;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: the probe listener, the engine with its store, and the HTTP server.
 *
 * <p><b>Start:</b> probes first (live, not ready), then the store (opened, so that a locked or
 * unreachable database fails the start), the engine on it, the queues, the HTTP server (W7S
 * queues and their push consumers, routes); ready once it listens. A failure closes what was
 * started and is rethrown.
 *
 * <p><b>Stop</b> (the JVM's shutdown hook, on SIGTERM or SIGINT): readiness goes to 503 at once;
 * the engine stops accepting sends (the HTTP routes answer 503) and starting batches, and gives the
 * batches in flight, push deliveries included, up to the grace period to finish; then the HTTP
 * server closes (the push client is still needed until then), the engine has closed the store (a
 * durable one keeps what was left), the PostgreSQL pool closes, and last the probes. What was left
 * is logged from the engine's {@link ShutdownReport}. Idempotent; a stop during start waits for the
 * start to finish.
 *
 * <p>Thread-safety: {@link #start()} and {@link #stop()} may be called from any thread; the state
 * is readable at any time.
 */
final class QueueServer {
  static final Logger logger = LoggerFactory.getLogger(QueueServer.class);

  /** Where the server is in its life; {@code /readyz} answers 200 only in {@link #READY}. */
  enum State {
    STARTING("starting"),
    READY("ready"),
    DRAINING("draining"),
    STOPPED("stopped");

    final String word;

    State(String word) {
      this.word = word;
    }
  }

  private final ServerPlan plan;
  private final Object lifecycle = new Object();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile State state = State.STARTING;
  private @Nullable ProbeServer probes; // guarded by lifecycle
  private StoreOption.@Nullable Opened store; // guarded by lifecycle
  private @Nullable QueueEngine engine; // guarded by lifecycle
  private @Nullable QueueHttpServer http; // guarded by lifecycle
  private @Nullable ShutdownReport report; // guarded by lifecycle

  QueueServer(ServerPlan plan) {
    this.plan = plan;
  }

  /**
   * Starts every part and logs the banner.
   *
   * @throws IllegalStateException if a port cannot be bound, the store cannot be opened, or a
   *     queue cannot be declared (the message says which)
   */
  void start() {
    synchronized (lifecycle) {
      if (state != State.STARTING || probes != null) {
        throw new IllegalStateException("the server was already started");
      }
      ServerSettings settings = plan.settings;
      try {
        ProbeServer p = new ProbeServer(settings.host(), settings.probePort(), () -> state);
        probes = p;
        p.start();
        StoreOption.Opened opened = settings.store().open();
        store = opened;
        QueueEngine.Builder builder = QueueEngine.builder().shutdownGracePeriod(settings.gracePeriod());
        opened.configure(builder);
        QueueEngine e = builder.build(); // from here on, the engine closes the store
        engine = e;
        plan.declareQueues(e);
        QueueHttpServer h = plan.configure(QueueHttpServer.builder(e)).build();
        http = h;
        h.start();
        state = State.READY;
        logger.info("{}", Banner.text(plan, h.port(), p.port()));
        Banner.warnings(plan).forEach(w -> logger.warn("{}", w));
      } catch (RuntimeException e) {
        closeAll();
        state = State.STOPPED;
        stopped.countDown();
        throw e;
      }
    }
  }

  /**
   * Drains and stops; see the class description. Returns the engine's report of what was left,
   * the same one on every call.
   */
  ShutdownReport stop() {
    synchronized (lifecycle) {
      if (report != null) {
        return report;
      }
      if (state == State.STOPPED) { // start failed and cleaned up
        report = new ShutdownReport(Map.of(), 0);
        return report;
      }
      state = State.DRAINING;
      logger.info(
          "queues4j server draining: /readyz answers 503, sends are refused, batches in flight have"
              + " up to {} to finish", Banner.seconds(plan.settings.gracePeriod()));
      ShutdownReport r = engine == null ? new ShutdownReport(Map.of(), 0) : engine.shutdown(plan.settings.gracePeriod());
      closeAll();
      state = State.STOPPED;
      String line = "queues4j server stopped: " + r.undelivered() + " messages undelivered "
          + r.undeliveredByQueue() + ", " + r.abandonedInvocations() + " invocations abandoned";
      if (r.clean()) {
        logger.info("{}; every accepted message was delivered", line);
      } else if (plan.settings.store().durable()) {
        logger.info("{}; the store {} keeps them for the next start", line, plan.settings.store());
      } else {
        logger.warn("{}; the memory store does not keep them", line);
      }
      report = r;
      stopped.countDown();
      return r;
    }
  }

  private void closeAll() {
    QueueHttpServer h = http;
    if (h != null) {
      h.close();
    }
    QueueEngine e = engine;
    if (e != null) {
      e.shutdown(java.time.Duration.ZERO); // no-op after a drain: returns the first report
    }
    StoreOption.Opened s = store;
    if (s != null) {
      s.close(e == null); // the engine closed the store; the PostgreSQL pool is the server's
    }
    ProbeServer p = probes;
    if (p != null) {
      p.close();
    }
  }

  /** Blocks until the server has stopped. */
  void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  State state() {
    return state;
  }

  /** The HTTP port. */
  int port() {
    synchronized (lifecycle) {
      QueueHttpServer h = http;
      if (h == null || state != State.READY) {
        throw new IllegalStateException("the server is not ready");
      }
      return h.port();
    }
  }

  /** The probe port. */
  int probePort() {
    synchronized (lifecycle) {
      ProbeServer p = probes;
      if (p == null) {
        throw new IllegalStateException("the server is not started");
      }
      return p.port();
    }
  }
}

package io.queues4j.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The probe listener: {@code GET /healthz} (liveness: 200 while the process runs) and {@code GET
 * /readyz} (readiness: 200 only while the server is {@link QueueServer.State#READY}; 503 while it
 * starts, drains or has stopped), without authentication, on a port of their own. They reveal
 * nothing but the state. The probes answer through the whole drain, after the queue routes have
 * stopped, so an orchestrator sees "not ready" rather than a refused connection.
 *
 * <p>Threads: daemon threads {@code queues4j-probe-N} (at most 8) and one {@code
 * queues4j-probe-scheduler}, stopped by {@link #close()}. At most 64 connections; idle ones are
 * closed after 5 s, which also ends clients that send their request slowly.
 */
final class ProbeServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;

  ProbeServer(String host, int port, Supplier<QueueServer.State> state) {
    QueuedThreadPool threads = new QueuedThreadPool(8, 2);
    threads.setName("queues4j-probe");
    threads.setDaemon(true);
    server = new Server(threads, new ScheduledExecutorScheduler("queues4j-probe-scheduler", true), null);
    server.setStopTimeout(0); // nothing to finish gracefully: close the probes at once
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(4_096);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(5_000);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(64, connector));
    ErrorHandler errors = new ErrorHandler();
    errors.setShowStacks(false);
    errors.setShowMessageInTitle(false);
    server.setErrorHandler(errors);
    server.setHandler(new Probes(state));
  }

  /**
   * Starts listening.
   *
   * @throws IllegalStateException if the port cannot be bound
   */
  void start() {
    try {
      server.start();
    } catch (Exception e) {
      close();
      throw new IllegalStateException(
          "the probe listener could not start on " + connector.getHost() + ":" + connector.getPort() + ": " + e.getMessage(), e);
    }
  }

  /** The port it listens on. */
  int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      QueueServer.logger.warn("stopping the probe listener failed", e);
    }
  }

  /** Answers the two probes. */
  private static final class Probes extends Handler.Abstract.NonBlocking {
    private final Supplier<QueueServer.State> state;

    Probes(Supplier<QueueServer.State> state) {
      this.state = state;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      String method = request.getMethod();
      int status;
      String body;
      if (!"/healthz".equals(path) && !"/readyz".equals(path)) {
        status = 404;
        body = "{\"error\":{\"code\":\"not_found\",\"message\":\"the probe listener serves GET /healthz and GET /readyz\"}}";
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        status = 405;
        body = "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"use GET\"}}";
        response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      } else if (path.equals("/healthz")) {
        status = 200;
        body = "{\"status\":\"ok\"}";
      } else {
        QueueServer.State s = state.get();
        status = s == QueueServer.State.READY ? 200 : 503;
        body = "{\"status\":\"" + s.word + "\"}";
      }
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      response.getHeaders().put("X-Content-Type-Options", "nosniff");
      response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }
  }
}

package io.queues4j.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * A W7S consuming app: a JDK HTTP server on a loopback port that records every request and answers
 * with a scripted status per request number (1-based); {@link #HANG} keeps the request open until
 * the consumer is closed.
 */
final class RecordingConsumer implements AutoCloseable {
  static final int HANG = -1;

  /** One received push. */
  @SuppressWarnings("ArrayRecordComponent") // a test value, never compared
  record Push(String method, String path, @Nullable String signature, @Nullable String contentType, byte[] body) {}

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);
  private final List<Push> pushes = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Push> arrivals = new LinkedBlockingQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);

  RecordingConsumer(IntUnaryOperator statusForRequest) throws Exception {
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws IOException, InterruptedException {
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
              body = in.readAllBytes();
            }
            Push push =
                new Push(
                    request.getMethod(),
                    request.getHttpURI().getPath(),
                    request.getHeaders().get(PushSignature.HEADER),
                    request.getHeaders().get("Content-Type"),
                    body);
            int status;
            synchronized (pushes) {
              pushes.add(push);
              status = statusForRequest.applyAsInt(pushes.size());
            }
            arrivals.add(push);
            if (status == HANG) {
              release.await(30, TimeUnit.SECONDS);
              status = 200;
            }
            response.setStatus(status);
            response.write(true, ByteBuffer.wrap("{\"ok\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8)), callback);
            return true;
          }
        });
    server.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  List<Push> pushes() {
    return pushes;
  }

  /** Waits for the next push, at most 10 s. */
  Push next() throws InterruptedException {
    Push p = arrivals.poll(10, TimeUnit.SECONDS);
    if (p == null) {
      throw new AssertionError("no push arrived within 10 s");
    }
    return p;
  }

  @Override
  public void close() {
    release.countDown();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

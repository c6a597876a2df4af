package io.queues4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A W7S app on loopback that receives pushed batches: it records every message id by queue and
 * answers 200, or holds the first batch of a chosen path until released.
 */
final class RecordingApp implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One pushed batch. */
  @SuppressWarnings("ArrayRecordComponent") // a test value, never compared
  record Push(String path, String signature, byte[] raw, JsonNode body) {}

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);
  final List<Push> pushes = new CopyOnWriteArrayList<>();
  final Set<String> ids = ConcurrentHashMap.newKeySet();
  final CountDownLatch held = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  private volatile String holdPath = "";

  RecordingApp() {
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
          body = in.readAllBytes();
        }
        String path = request.getHttpURI().getPath();
        if (path.equals(holdPath) && held.getCount() > 0) {
          held.countDown();
          if (!release.await(60, TimeUnit.SECONDS)) {
            response.setStatus(500);
            callback.succeeded();
            return true;
          }
        }
        JsonNode batch = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        String signature = request.getHeaders().get("X-Queues4j-Signature");
        pushes.add(new Push(path, signature == null ? "" : signature, body, batch));
        for (JsonNode m : batch.get("messages")) {
          ids.add(batch.get("queue").asText() + "/" + m.get("id").asText());
        }
        response.setStatus(200);
        response.write(true, ByteBuffer.wrap("{\"ok\":true}".getBytes(StandardCharsets.UTF_8)), callback);
        return true;
      }
    });
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Holds the first batch pushed to this path until {@link #release} is counted down. */
  RecordingApp holding(String path) {
    this.holdPath = path;
    return this;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  long received(String queue) {
    return ids.stream().filter(id -> id.startsWith(queue + "/")).count();
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

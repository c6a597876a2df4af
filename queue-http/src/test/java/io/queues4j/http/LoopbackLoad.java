package io.queues4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The load generator and the floor of the loopback benchmarks: a bare HTTP/1.1 client (the JDK
 * HttpClient costs more CPU than the servers measured) and a bare Jetty handler that only parses
 * the request's JSON.
 */
final class LoopbackLoad {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LoopbackLoad() {}

  /**
   * Sends {@code n} copies of a JSON POST over {@code concurrency} kept-alive connections, one
   * blocking thread each, and checks every answer has {@code status}.
   *
   * @return requests per second
   */
  static double run(int port, String path, String token, String json, int n, int concurrency,
      int status) throws InterruptedException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] request =
        ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n" + json)
            .getBytes(StandardCharsets.UTF_8);
    AtomicLong remaining = new AtomicLong(n);
    AtomicLong failures = new AtomicLong();
    Thread[] threads = new Thread[concurrency];
    long start = System.nanoTime();
    for (int t = 0; t < concurrency; t++) {
      threads[t] = new Thread(() -> {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
          socket.setTcpNoDelay(true);
          OutputStream out = socket.getOutputStream();
          BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
          while (remaining.getAndDecrement() > 0) {
            out.write(request);
            out.flush();
            if (readResponse(in) != status) {
              failures.incrementAndGet();
            }
          }
        } catch (IOException e) {
          failures.incrementAndGet();
        }
      }, "bench-client-" + t);
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.MINUTES.toMillis(10));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(failures.get()).as("requests not answered %s", status).isZero();
    return n / seconds;
  }

  /** Reads one response with a Content-Length body; returns its status. */
  private static int readResponse(BufferedInputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed");
      }
      head.append((char) b);
      matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
    }
    String text = head.toString();
    int status = Integer.parseInt(text.substring(9, 12));
    int at = text.toLowerCase(Locale.ROOT).indexOf("content-length:");
    int length = Integer.parseInt(text.substring(at + 15, text.indexOf('\r', at)).trim());
    in.readNBytes(length);
    return status;
  }

  /** The floor, started: reads the body, parses it as JSON, answers {@code status} and {@code answer}. */
  static Server bareJetty(int status, String answer) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        try (InputStream in = Content.Source.asInputStream(request)) {
          MAPPER.readTree(in);
        }
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/json");
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
      }
    });
    server.start();
    return server;
  }

  /** The port a started server listens on. */
  static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }
}

package io.queues4j.http;

import static io.queues4j.http.Fixture.ACME;
import static io.queues4j.http.Fixture.JOBS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Clients that send too much, or too slowly, are cut off without costing memory or threads. */
class SlowAndHugeClientsTest {
  private static final long ONE_GIB = 1L << 30;

  private Fixture fixture;
  private final ScheduledExecutorService dripper = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() {
    fixture =
        new Fixture(
            b -> b.limits(
                HttpLimits.builder()
                    .headerTimeout(Duration.ofMillis(500))
                    .requestTimeout(Duration.ofMillis(800))
                    .build()));
  }

  @AfterEach
  void stop() {
    dripper.shutdownNow();
    fixture.close();
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), fixture.port());
    socket.setSoTimeout(20_000);
    return socket;
  }

  @Test
  void aStreamedGigabyteIsCutOffAtTheLimitWith413AndNeverBuffered() throws Exception {
    long before = fixture.state();
    AtomicLong written = new AtomicLong();
    var heapPools =
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
            .toList();
    long heapBefore = 0;
    for (var pool : heapPools) {
      pool.resetPeakUsage();
      heapBefore += pool.getUsage().getUsed();
    }
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST " + JOBS + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ACME
                  + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                byte[] chunk = new byte[65_536];
                Arrays.fill(chunk, (byte) 'a');
                byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] tail = "\r\n".getBytes(StandardCharsets.US_ASCII);
                try {
                  while (written.get() < ONE_GIB) {
                    out.write(head);
                    out.write(chunk);
                    out.write(tail);
                    written.addAndGet(chunk.length);
                  }
                } catch (IOException cutOff) {
                  // expected: the server answered and closed the connection
                }
              });
      RawHttp.Response response = RawHttp.read(socket.getInputStream());
      writer.get(30, TimeUnit.SECONDS);

      assertThat(response.status()).isEqualTo(413);
      assertThat(response.json().path("error").path("message").asText())
          .contains("65536");
      // The client could push no more than what fits in the socket buffers before being cut off:
      // far below the gigabyte it meant to send, so the server cannot have read, let alone held, it.
      assertThat(written.get()).isLessThan(64L << 20);
    }
    // And the heap never held anything like it: the sum of the pools' peaks bounds the peak total.
    long heapPeak = 0;
    for (var pool : heapPools) {
      heapPeak += pool.getPeakUsage().getUsed();
    }
    assertThat(heapPeak - heapBefore).as("heap growth while streaming").isLessThan(256L << 20);
    assertThat(fixture.state()).isEqualTo(before);
  }

  @Test
  void aClientSendingItsHeadersByteByByteIsDisconnectedAtTheHeaderTimeout() throws Exception {
    byte[] head =
        ("POST " + JOBS + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ACME
                + "\r\nContent-Type: application/json\r\nX-Padding: " + "p".repeat(200)
                + "\r\nContent-Length: 2\r\n\r\n{}")
            .getBytes(StandardCharsets.ISO_8859_1);
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      AtomicInteger sent = new AtomicInteger();
      var drip =
          dripper.scheduleAtFixedRate(
              () -> {
                int i = sent.get();
                if (i < head.length) {
                  try {
                    out.write(head[i]);
                    out.flush();
                    sent.incrementAndGet();
                  } catch (IOException closed) {
                    // the server hung up
                  }
                }
              },
              0,
              20,
              TimeUnit.MILLISECONDS);
      long started = System.nanoTime();
      int read = readUntilClosed(socket.getInputStream());
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      drip.cancel(false);

      assertThat(read).as("the server closed without answering").isEqualTo(-1);
      assertThat(sent.get()).as("closed before the head was complete").isLessThan(head.length);
      // 300 bytes at 20 ms each would take 6 s; the header timeout is 500 ms.
      assertThat(elapsedMs).isLessThan(3_000);
    }
  }

  @Test
  void aClientDrippingItsBodyIsDisconnectedAtTheRequestTimeout() throws Exception {
    long before = fixture.state();
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST " + JOBS + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ACME
                  + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n\"")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      var drip =
          dripper.scheduleAtFixedRate(
              () -> {
                try {
                  out.write('a');
                  out.flush();
                } catch (IOException closed) {
                  // the server hung up
                }
              },
              20,
              20,
              TimeUnit.MILLISECONDS);
      long started = System.nanoTime();
      RawHttp.Response response = RawHttp.read(socket.getInputStream());
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      drip.cancel(false);
      // Closed (maybe after a 400 for the unreadable body), well before 1000 bytes at 20 ms each.
      assertThat(response.status()).isIn(0, 400);
      assertThat(elapsedMs).isLessThan(5_000);
    }
    assertThat(fixture.state()).isEqualTo(before);
  }

  @Test
  void anIdleKeptAliveConnectionIsClosedAfterTheHeaderTimeoutButServedBeforeIt() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[4096];
      int n = in.read(buf);
      assertThat(new String(buf, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
      CountDownLatch closed = new CountDownLatch(1);
      CompletableFuture<Void> watcher = CompletableFuture.runAsync(
          () -> {
            try {
              if (readUntilClosed(in) == -1) {
                closed.countDown();
              }
            } catch (IOException e) {
              closed.countDown();
            }
          });
      assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
      watcher.get(5, TimeUnit.SECONDS);
    }
  }

  private static int readUntilClosed(InputStream in) throws IOException {
    try {
      int b;
      do {
        b = in.read();
      } while (b >= 0);
      return b;
    } catch (java.net.SocketException reset) {
      return -1;
    }
  }
}

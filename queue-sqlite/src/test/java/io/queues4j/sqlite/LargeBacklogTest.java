package io.queues4j.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A backlog larger than the heap: {@link BacklogChild} fills a queue with 1 KB messages, reopens
 * it and drains it in a JVM with {@code -Xmx256m}; every message arrives exactly once. 20,000
 * messages by default; {@code -Dqueues4j.backlog.messages=2000000} for the 2 GB run (and {@code
 * -Dqueues4j.backlog.durability=NORMAL}), whose figures are in docs/RELIABILITY.md. At 1,000,000
 * messages or more it also checks that the reopened store delivers within 2 s. The figures go to
 * {@code target/large-backlog.txt}.
 */
class LargeBacklogTest {
  private static final int MESSAGES = Integer.getInteger("queues4j.backlog.messages", 20_000);
  private static final String DURABILITY =
      System.getProperty("queues4j.backlog.durability", "FULL");

  @Test
  void aBacklogLargerThanTheHeapDrainsExactlyOnce() throws Exception {
    Path file = TempDatabases.fresh("backlog");
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-Dorg.slf4j.simpleLogger.logFile=System.err",
        "-cp", System.getProperty("java.class.path"), BacklogChild.class.getName(),
        file.toString(), Integer.toString(MESSAGES), DURABILITY);
    Process child = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(file.resolveSibling("child.log").toFile()))
        .start();
    Map<String, Long> figures = new LinkedHashMap<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        String[] kv = line.split(" ", 2);
        figures.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    assertThat(child.waitFor(60, TimeUnit.MINUTES)).isTrue();
    assertThat(child.exitValue()).as("exit code (see %s)", file.resolveSibling("child.log"))
        .isZero();
    String summary = MESSAGES + " x 1 KB, " + DURABILITY + ", -Xmx256m: " + figures;
    Files.writeString(Path.of("target", "large-backlog.txt"), summary + System.lineSeparator());
    System.out.println(summary);
    assertThat(figures).containsEntry("DELIVERED", (long) MESSAGES)
        .containsEntry("DUPLICATES", 0L);
    if (MESSAGES >= 1_000_000) {
      assertThat(figures.get("REOPEN_MS")).as("open to first delivery, ms")
          .isLessThanOrEqualTo(2_000L);
    }
  }
}

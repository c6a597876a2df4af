package io.queues4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Three JVMs share one schema and one workload: each sends 300 messages (some retried once, some
 * poison that end in the dead-letter queue) and consumes the shared queues. One of them never
 * finishes a handler and is killed with {@code destroyForcibly()} while holding claims. From the
 * journals of all three: every resolved send is acknowledged exactly once (or dead-lettered and
 * consumed from the dead-letter queue), nothing is lost, no two deliveries of a message overlap
 * unless the first one's lease had ended, and the dead process's claims are delivered again
 * (attempts counted) once their lease ends (handler timeout 3 s + batch timeout + the engine's
 * 60 s margin: this test takes a bit over a minute).
 */
class MultiProcessTest {
  private static final int SENDS = 300;
  private static final long LEASE_FLOOR_MILLIS = 60_000;

  private record Delivery(String id, String process, long start, int attempts, String body) {}

  @Test
  void threeProcessesShareTheWorkAndAKilledOnesClaimsAreRecoveredAfterTheirLease()
      throws Exception {
    String schema = TestDatabase.freshSchema();
    String url = TestDatabase.url();
    Path dir = new File(TestDatabase.target(), "multi-process-" + schema).toPath();
    Files.createDirectories(dir);
    Map<String, Process> processes = new HashMap<>();
    for (String name : List.of("a", "b", "victim")) {
      processes.put(name, start(url, schema, name, dir, name.equals("victim")));
    }
    try {
      Path victimJournal = dir.resolve("victim.journal");
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
          .until(() -> lines(victimJournal).stream().anyMatch(l -> l.startsWith("D ")));
      Process victim = java.util.Objects.requireNonNull(processes.get("victim"));
      victim.destroyForcibly();
      assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();

      Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
          .until(() -> unresolved(dir).isEmpty()
              && lines(dir.resolve("a.journal")).contains("READY a")
              && lines(dir.resolve("b.journal")).contains("READY b"));
    } finally {
      for (Map.Entry<String, Process> e : processes.entrySet()) {
        Process p = e.getValue();
        if (p.isAlive()) {
          p.getOutputStream().close(); // stops a survivor cleanly
        }
      }
      for (Process p : processes.values()) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
    for (String survivor : List.of("a", "b")) {
      assertThat(java.util.Objects.requireNonNull(processes.get(survivor)).exitValue())
          .as("exit status of %s", survivor).isZero();
    }
    check(dir);
  }

  private static Process start(String url, String schema, String name, Path dir, boolean hang)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.logFile=" + dir.resolve(name + ".log"),
        WorkloadChild.class.getName(), url, schema, name,
        dir.resolve(name + ".journal").toString(), String.valueOf(SENDS),
        hang ? "hang" : "work");
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve(name + ".out").toFile());
    return pb.start();
  }

  private static List<String> lines(Path journal) {
    try {
      return Files.exists(journal)
          ? Files.readAllLines(journal, StandardCharsets.UTF_8)
          : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static List<String[]> entries(Path dir) {
    List<String[]> all = new ArrayList<>();
    for (String name : List.of("a", "b", "victim")) {
      for (String line : lines(dir.resolve(name + ".journal"))) {
        all.add(line.split(" ", -1));
      }
    }
    return all;
  }

  /** The resolved sends not yet acknowledged on "work" nor consumed from the dead-letter queue. */
  private static Set<String> unresolved(Path dir) {
    Set<String> open = new HashSet<>();
    Set<String> done = new HashSet<>();
    for (String[] e : entries(dir)) {
      if (e[0].equals("SENT") && e.length == 3) {
        open.add(e[1]);
      } else if (e[0].equals("ACKED") && e.length == 4) {
        done.add(e[2]); // on "work", or on "work-dlq" after the move
      }
    }
    open.removeAll(done);
    return open;
  }

  private static void check(Path dir) {
    Set<String> sent = new HashSet<>();
    Map<String, Integer> ackedOnWork = new HashMap<>();
    Set<String> ackedOnDlq = new HashSet<>();
    Set<String> deadLettered = new HashSet<>();
    Map<String, List<Delivery>> deliveries = new HashMap<>();
    Map<String, Long> ends = new HashMap<>();
    for (String[] e : entries(dir)) {
      switch (e[0]) {
        case "SENT" -> {
          if (e.length == 3) {
            sent.add(e[1]);
          }
        }
        case "ACKED" -> {
          if (e.length == 4 && e[1].equals("work")) {
            ackedOnWork.merge(e[2], 1, Integer::sum);
          } else if (e.length == 4) {
            ackedOnDlq.add(e[2]);
          }
        }
        case "DEADLETTERED" -> {
          if (e.length == 3) {
            deadLettered.add(e[1]);
          }
        }
        case "D" -> {
          if (e.length == 6) {
            deliveries.computeIfAbsent(e[1], k -> new ArrayList<>()).add(new Delivery(e[1], e[2],
                Long.parseLong(e[3]), Integer.parseInt(e[4]), e[5]));
          }
        }
        case "E" -> {
          if (e.length == 4) {
            ends.put(e[1] + " " + e[2] + " " + e[3], Long.parseLong(e[3]));
          }
        }
        default -> { }
      }
    }
    // the survivors' sends, and whatever the killed process had sent before it died
    assertThat(sent).as("resolved sends of the three processes")
        .hasSizeGreaterThanOrEqualTo(2 * SENDS);
    for (String id : sent) {
      List<Delivery> ds = deliveries.getOrDefault(id, List.of());
      boolean poison = !ds.isEmpty() && ds.get(0).body().startsWith("poison");
      if (poison) {
        assertThat(deadLettered).as("poison %s dead-lettered", id).contains(id);
        assertThat(ackedOnDlq).as("poison %s consumed from the DLQ", id).contains(id);
        assertThat(ackedOnWork).doesNotContainKey(id);
      } else {
        assertThat(ackedOnWork.get(id)).as("acks of %s", id).isEqualTo(1);
      }
    }
    assertThat(ackedOnWork.values()).as("no message acknowledged twice").allMatch(n -> n == 1);

    // no two deliveries of a message at once, unless the first one's lease had ended
    Set<String> victimHeld = new HashSet<>();
    for (List<Delivery> ds : deliveries.values()) {
      ds.sort(Comparator.comparingLong(Delivery::start));
      for (int i = 1; i < ds.size(); i++) {
        Delivery before = ds.get(i - 1);
        Delivery after = ds.get(i);
        Long end = end(ends, before);
        if (end == null) {
          assertThat(before.process()).as("only the killed process leaves a delivery unfinished")
              .isEqualTo("victim");
          assertThat(after.start() - before.start())
              .as("%s delivered again only after the lease of the dead claim", before.id())
              .isGreaterThanOrEqualTo(LEASE_FLOOR_MILLIS);
          assertThat(after.attempts()).isGreaterThan(before.attempts());
          victimHeld.add(before.id());
        } else {
          assertThat(end).as("deliveries of %s overlap", before.id()).isLessThanOrEqualTo(
              after.start());
        }
      }
    }
    assertThat(victimHeld).as("the killed process died holding claims, recovered later")
        .isNotEmpty();
    for (String id : victimHeld) {
      assertThat(ackedOnWork.containsKey(id) || ackedOnDlq.contains(id)).isTrue();
    }
  }

  /** The end of {@code d}'s delivery: the first end line of its process at or after its start. */
  private static @Nullable Long end(Map<String, Long> ends, Delivery d) {
    Long best = null;
    for (Map.Entry<String, Long> e : ends.entrySet()) {
      String[] k = e.getKey().split(" ", -1);
      if (k[0].equals(d.id()) && k[1].equals(d.process()) && e.getValue() >= d.start()
          && (best == null || e.getValue() < best)) {
        best = e.getValue();
      }
    }
    return best;
  }
}

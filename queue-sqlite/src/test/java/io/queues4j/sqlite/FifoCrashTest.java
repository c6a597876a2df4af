package io.queues4j.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sqlite.JDBC;

/**
 * A FIFO queue killed with {@code kill -9}: a child JVM ({@link FifoCrashChild}) sends and
 * consumes numbered messages in groups and is killed at a random moment, several times; a last
 * child re-sends messages whose sends had completed (they must be refused as duplicates: the
 * deduplication records survived) and drains the queue. Checked from the child's journal and the
 * database:
 *
 * <ul>
 *   <li>per group, messages are first acked in send order, index after index, without a gap,
 *       across the kills (a message acked just before a kill may be acked again after it: at
 *       least once), and within one process never out of order;
 *   <li>every completed send is stored or was acked; nothing stored was not sent, nor twice;
 *   <li>after each kill the claimable groups' heads agree with the messages, and the counters
 *       with the rows;
 *   <li>at the end every completed send was acked.
 * </ul>
 *
 * <p>6 cycles by default; {@code -Dqueues4j.fifoCrash.cycles=N}, {@code
 * -Dqueues4j.fifoCrash.seed=N} to replay one. The summary goes to {@code
 * target/fifo-crash-recovery.txt}.
 */
class FifoCrashTest {
  private static final int CYCLES = Integer.getInteger("queues4j.fifoCrash.cycles", 6);
  private static final long SEED = Long.getLong("queues4j.fifoCrash.seed", System.nanoTime());
  private static final int MAX_KILL_DELAY_MILLIS = 1_200;

  private long offset;
  private int process;
  private final Set<String> intended = new HashSet<>();
  private final Set<String> sent = new HashSet<>();
  private final Map<String, Set<Integer>> acked = new TreeMap<>();
  private final Map<String, Integer> lastAckedInProcess = new HashMap<>();
  private final List<String> resent = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private long acks;
  private long reacked;

  @Test
  void killedAtRandomMomentsGroupsStayInOrderAndDuplicatesAreStillRecognized() throws Exception {
    Path db = TempDatabases.fresh("fifo-crash");
    Path journal = db.resolveSibling("journal.txt");
    Path log = db.resolveSibling("children.log");
    SplittableRandom random = new SplittableRandom(SEED);
    String replay = " (replay with -Dqueues4j.fifoCrash.seed=" + SEED + ", files in "
        + db.getParent() + ")";
    long start = System.nanoTime();
    for (int cycle = 1; cycle <= CYCLES; cycle++) {
      Child child = Child.start(db, journal, log, cycle, random.nextLong(), "run");
      assertThat(child.ready.await(60, TimeUnit.SECONDS))
          .as("cycle %s: the child started%s", cycle, replay).isTrue();
      assertThat(child.process.waitFor(random.nextInt(MAX_KILL_DELAY_MILLIS),
          TimeUnit.MILLISECONDS)).as("cycle %s: still running when killed%s", cycle, replay)
          .isFalse();
      child.process.destroyForcibly();
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      readJournal(journal);
      checkAfterKill(db, "cycle " + cycle + replay);
    }
    Child drain = Child.start(db, journal, log, CYCLES + 1, random.nextLong(), "drain");
    assertThat(drain.process.waitFor(120, TimeUnit.SECONDS))
        .as("the draining child ended%s", replay).isTrue();
    assertThat(drain.process.exitValue()).as("the draining child's exit code (see %s)%s", log,
        replay).isZero();
    readJournal(journal);
    String when = "after draining" + replay;
    List<CrashLedger.Row> rows = checkAfterKill(db, when);
    assertThat(rows).as("%s: messages left", when).isEmpty();
    assertThat(resent).as("%s: completed sends sent again", when).isNotEmpty()
        .allSatisfy(line -> assertThat(line).as("%s: a re-send is a duplicate", when)
            .endsWith(" true"));
    for (String body : sent) {
      assertThat(acked.getOrDefault(FifoCrashChild.group(body), Set.of()))
          .as("%s: %s acked", when, body).contains(FifoCrashChild.index(body));
    }
    acked.forEach((group, indices) -> assertThat(indices).as("%s: group %s without gaps", when,
        group).hasSize(indices.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1));

    String summary = String.format(Locale.ROOT, "%d kill cycles in %.1f s, seed %d: %d messages"
            + " sent (%d attempted) in %d groups, %d acks (%d again after a kill), %d completed"
            + " sends re-sent and refused as duplicates; groups in order, no loss",
        CYCLES, (System.nanoTime() - start) / 1e9, SEED, sent.size(), intended.size(),
        acked.size(), acks, reacked, resent.size());
    Files.writeString(Path.of("target", "fifo-crash-recovery.txt"),
        summary + System.lineSeparator());
    System.out.println(summary);
  }

  private void readJournal(Path journal) throws IOException {
    try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size <= offset) {
        return;
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) (size - offset));
      while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
        // read all
      }
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      if (end < 0) {
        return;
      }
      offset += text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
      for (String line : text.substring(0, end).split("\n", -1)) {
        apply(line);
      }
    }
  }

  private void apply(String line) {
    String[] f = line.split(" ", 2);
    switch (f[0]) {
      case "P" -> {
        process = Integer.parseInt(f[1]);
        lastAckedInProcess.clear();
      }
      case "T" -> intended.add(f[1]);
      case "S" -> sent.add(f[1]);
      case "R" -> resent.add(f[1]);
      case "A" -> ack(f[1]);
      default -> throw new AssertionError("unexpected journal line: " + line);
    }
  }

  private void ack(String body) {
    acks++;
    String group = FifoCrashChild.group(body);
    int index = FifoCrashChild.index(body);
    Integer last = lastAckedInProcess.put(group, index);
    if (last != null && last >= index) {
      violations.add("process " + process + " acked " + body + " after index " + last);
    }
    Set<Integer> indices = acked.computeIfAbsent(group, g -> new HashSet<>());
    if (indices.contains(index)) {
      reacked++;
    } else if (indices.size() != index) {
      violations.add("process " + process + " first acked " + body + " after " + indices.size()
          + " messages of its group: not the next in send order");
    }
    indices.add(index);
  }

  private List<CrashLedger.Row> checkAfterKill(Path db, String when) throws SQLException {
    assertThat(violations).as("%s: order", when).isEmpty();
    CrashLedger.Inspection state = CrashLedger.inspect(db);
    assertThat(state.counterMismatches()).as("%s: queue counters vs rows", when).isEmpty();
    Set<String> stored = new HashSet<>();
    for (CrashLedger.Row row : state.rows()) {
      assertThat(stored.add(row.body())).as("%s: %s stored once", when, row.body()).isTrue();
      assertThat(intended).as("%s: stored %s was sent", when, row.body()).contains(row.body());
    }
    for (String body : sent) {
      assertThat(stored.contains(body) || acked.getOrDefault(FifoCrashChild.group(body),
          Set.of()).contains(FifoCrashChild.index(body)))
          .as("%s: completed send %s is stored or acked", when, body).isTrue();
    }
    assertThat(headMismatches(db)).as("%s: fifo_heads vs messages", when).isEmpty();
    return state.rows();
  }

  /** Groups whose {@code fifo_heads} row disagrees with their messages (see FifoTable). */
  private static List<String> headMismatches(Path db) throws SQLException {
    Map<String, String> expected = new TreeMap<>();
    Map<String, String> actual = new TreeMap<>();
    try (Connection c = JDBC.createConnection(JDBC.PREFIX + db, new Properties());
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT grp, MIN(key), MAX(state = 1)"
          + " FROM messages WHERE grp IS NOT NULL AND state IN (0, 1) GROUP BY grp")) {
        while (rs.next()) {
          if (rs.getInt(3) == 0) { // nothing claimed: claimable, from its first message
            expected.put(rs.getString(1), Long.toString(rs.getLong(2)));
          }
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT grp, key FROM fifo_heads")) {
        while (rs.next()) {
          actual.put(rs.getString(1), Long.toString(rs.getLong(2)));
        }
      }
    }
    List<String> mismatches = new ArrayList<>();
    if (!expected.equals(actual)) {
      mismatches.add("expected " + expected + " but fifo_heads has " + actual);
    }
    return mismatches;
  }

  /** A running child process. */
  private static final class Child {
    final Process process;
    final CountDownLatch ready = new CountDownLatch(1);

    private Child(Process process) {
      this.process = process;
      Thread reader = new Thread(this::read, "fifo-crash-child-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(Path db, Path journal, Path log, int cycle, long seed, String mode)
        throws IOException {
      List<String> command = List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", "-Xmx256m",
          "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
          "-Dorg.slf4j.simpleLogger.logFile=System.err",
          "-cp", System.getProperty("java.class.path"), FifoCrashChild.class.getName(),
          db.toString(), journal.toString(), Integer.toString(cycle), Long.toString(seed), mode);
      return new Child(new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
    }

    private void read() {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.equals("READY")) {
            ready.countDown();
          }
        }
      } catch (IOException e) {
        // the process was killed
      }
    }
  }
}

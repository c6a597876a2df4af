package io.queues4j.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Crash recovery with real processes: a child JVM ({@link CrashChild}) sends, consumes, retries
 * and dead-letters messages on a {@link SqliteStore} (FULL durability) and is killed with {@code
 * kill -9} ({@link Process#destroyForcibly()}) at a random moment; after each kill this test reads
 * the database and the child's journal and checks ({@link CrashLedger}):
 *
 * <ul>
 *   <li>every send that completed is in the store (waiting, in flight, dead-lettered) or was
 *       acked (or consumed from the dead-letter queue) as the journal records;
 *   <li>nothing is invented: every stored message was sent, and none is stored twice;
 *   <li>no delivery ever had more than {@code maxRetries + 1} attempts, and no stored attempt
 *       count exceeds that plus one per recovery the message went through;
 *   <li>the counters the store keeps for each queue equal what the table holds.
 * </ul>
 *
 * <p>A last child drains everything and exits normally; then every message sent has been acked or
 * consumed as a dead letter. 20 cycles by default; {@code -Dqueues4j.crash.cycles=500} for the
 * long run, {@code -Dqueues4j.crash.seed=N} to replay one. The summary goes to {@code
 * target/crash-recovery.txt}.
 */
class CrashRecoveryTest {
  private static final int CYCLES = Integer.getInteger("queues4j.crash.cycles", 20);
  private static final long SEED = Long.getLong("queues4j.crash.seed", System.nanoTime());

  /** Each child is killed at a random moment up to this long after it started sending. */
  private static final Duration MAX_KILL_DELAY = Duration.ofMillis(1_200);

  @Test
  void killedAtRandomMomentsItLosesNothingAndInventsNothing() throws Exception {
    Path db = TempDatabases.fresh("crash");
    Path journal = db.resolveSibling("journal.txt");
    Path childLog = db.resolveSibling("children.log");
    CrashLedger ledger = new CrashLedger(CrashChild.MAX_RETRIES);
    SplittableRandom random = new SplittableRandom(SEED);
    String replay = " (replay with -Dqueues4j.crash.seed=" + SEED + ", files in "
        + db.getParent() + ")";
    long start = System.nanoTime();
    int killedWhileSending = 0;
    for (int cycle = 1; cycle <= CYCLES; cycle++) {
      Child child = Child.start(db, journal, childLog, cycle, random.nextLong(), "run");
      assertThat(child.ready.await(60, TimeUnit.SECONDS))
          .as("cycle %s: the child started%s", cycle, replay).isTrue();
      long killAfterMillis = random.nextInt((int) MAX_KILL_DELAY.toMillis());
      assertThat(child.process.waitFor(killAfterMillis, TimeUnit.MILLISECONDS))
          .as("cycle %s: the child is still running when it is killed%s", cycle, replay)
          .isFalse();
      if (child.sent.getCount() > 0) {
        killedWhileSending++;
      }
      child.process.destroyForcibly();
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      ledger.readJournal(journal);
      ledger.checkAfterKill(CrashLedger.inspect(db), "cycle " + cycle + replay);
    }
    Child drain = Child.start(db, journal, childLog, CYCLES + 1, random.nextLong(), "drain");
    assertThat(drain.process.waitFor(120, TimeUnit.SECONDS))
        .as("the draining child ended%s", replay).isTrue();
    assertThat(drain.process.exitValue()).as("the draining child's exit code (see %s)%s",
        childLog, replay).isZero();
    ledger.readJournal(journal);
    ledger.checkDrained(CrashLedger.inspect(db), "after draining" + replay);

    String summary = String.format(Locale.ROOT,
        "%d kill cycles (%d while sending) in %.1f s, seed %d: %s",
        CYCLES, killedWhileSending, (System.nanoTime() - start) / 1e9, SEED, ledger.summary());
    Files.writeString(Path.of("target", "crash-recovery.txt"), summary + System.lineSeparator());
    System.out.println(summary);
  }

  /** A running child process, and the lines it printed so far. */
  private static final class Child {
    final Process process;
    final CountDownLatch ready = new CountDownLatch(1);
    final CountDownLatch sent = new CountDownLatch(1);

    private Child(Process process) {
      this.process = process;
      Thread reader = new Thread(this::read, "crash-child-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(Path db, Path journal, Path log, int cycle, long seed, String mode)
        throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-Xmx256m");
      command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
      command.add("-Dorg.slf4j.simpleLogger.logFile=System.err");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(CrashChild.class.getName());
      command.add(db.toString());
      command.add(journal.toString());
      command.add(Integer.toString(cycle));
      command.add(Long.toString(seed));
      command.add(mode);
      Process process = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      return new Child(process);
    }

    private void read() {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.equals("READY")) {
            ready.countDown();
          } else if (line.equals("SENT")) {
            sent.countDown();
          }
        }
      } catch (IOException e) {
        // the process was killed
      }
    }
  }
}

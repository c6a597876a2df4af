package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.QueueContentType;
import io.queues4j.spi.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The in-memory store's FIFO deduplication records. */
class DedupWindowTest {
  private static final long WINDOW = 300_000;

  private static String add(InMemoryQueueStore store, long n, String body) {
    StoredMessage m = StoredMessage.of(1, n, n, body.getBytes(StandardCharsets.UTF_8),
        QueueContentType.JSON, n, 0, "g", "sha:" + body);
    return store.addDeduplicated(List.of(m), n, WINDOW).toCompletableFuture().join().get(0);
  }

  @Test
  void aFullStoreKeepsTheNewestRecordsSoARecentDuplicateIsStillCaught() {
    // With a Caffeine cache of 1,000 (its W-TinyLFU admission), only the last 10 would be kept.
    InMemoryQueueStore store = new InMemoryQueueStore("orders.fifo", 1_000);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) {
      ids.add(add(store, i, "order " + i));
    }
    assertThat(add(store, 2_000, "order 1200")).as("sent 300 messages ago")
        .isEqualTo(ids.get(1200));
    assertThat(add(store, 2_001, "order 500")).as("the oldest kept").isEqualTo(ids.get(500));
    assertThat(add(store, 2_002, "order 499")).as("evicted: stored anew")
        .isNotEqualTo(ids.get(499));
    assertThat(store.metrics().backlogCount()).isEqualTo(1_501);
  }

  private static StoredMessage message(String group, String key, long idLow) {
    return StoredMessage.of(7, idLow, 0, new byte[] {'1'}, QueueContentType.JSON, 0, 0, group,
        key);
  }

  private static String id(long idLow) {
    return StoredMessage.idText(7, idLow);
  }

  @Test
  void aRecordLastsItsWindowOnTheGivenClock() {
    DedupWindow window = new DedupWindow(10);
    assertThat(window.putIfAbsent(message("g", "k", 1), 1_000, 300_000)).isNull();
    assertThat(window.putIfAbsent(message("g", "k", 2), 300_999, 300_000)).isEqualTo(id(1));
    assertThat(window.putIfAbsent(message("h", "k", 3), 2_000, 300_000)).as("per group").isNull();
    assertThat(window.putIfAbsent(message("g", "other", 4), 2_000, 300_000)).isNull();
    assertThat(window.putIfAbsent(message("g", "k", 5), 301_000, 300_000))
        .as("the first record's window has ended").isNull();
    assertThat(window.putIfAbsent(message("g", "k", 6), 301_001, 300_000)).isEqualTo(id(5));
  }

  @Test
  void aDuplicateRecordsNothing() {
    DedupWindow window = new DedupWindow(10);
    window.putIfAbsent(message("g", "k", 1), 0, 100);
    window.putIfAbsent(message("g", "k", 2), 99, 100); // a duplicate: does not extend the window
    assertThat(window.putIfAbsent(message("g", "k", 3), 100, 100)).isNull();
    assertThat(window.size()).isEqualTo(1);
  }

  @Test
  void beyondCapacityTheOldestWrittenGoFirst() {
    DedupWindow window = new DedupWindow(3);
    for (int i = 0; i < 5; i++) {
      window.putIfAbsent(message("g", "k" + i, i), i, 1_000);
    }
    assertThat(window.size()).isEqualTo(3);
    assertThat(window.putIfAbsent(message("g", "k4", 14), 10, 1_000)).isEqualTo(id(4));
    assertThat(window.putIfAbsent(message("g", "k2", 12), 10, 1_000)).isEqualTo(id(2));
    assertThat(window.putIfAbsent(message("g", "k1", 11), 10, 1_000)).as("evicted").isNull();
  }

  @Test
  void expiredRecordsAreSweptAsNewOnesArrive() {
    DedupWindow window = new DedupWindow(100);
    for (int i = 0; i < 50; i++) {
      window.putIfAbsent(message("g", "k" + i, i), i, 10);
    }
    window.putIfAbsent(message("g", "late", 99), 1_000, 10);
    assertThat(window.size()).isEqualTo(1);
  }

  @Test
  void aRecordFromBeforeTheClockSteppedBackStillEndsOnItsOwnDeadline() {
    DedupWindow window = new DedupWindow(10);
    window.putIfAbsent(message("g", "a", 1), 10_000, 100); // ends at 10,100
    window.putIfAbsent(message("g", "b", 2), 5_000, 100); // the clock stepped back: ends at 5,100
    assertThat(window.putIfAbsent(message("g", "b", 3), 5_100, 100)).isNull();
    assertThat(window.putIfAbsent(message("g", "a", 4), 5_100, 100)).isEqualTo(id(1));
  }

  @Test
  void capacityMustBePositive() {
    assertThatThrownBy(() -> new DedupWindow(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
  }

  @Test
  void keysWhoseStringHashesCollideAreNotDuplicates() {
    DedupWindow window = new DedupWindow(100);
    assertThat(window.putIfAbsent(message("g", "Aa", 1), 0, 1_000)).isNull();
    assertThat(window.putIfAbsent(message("g", "BB", 2), 0, 1_000)).isNull();
    assertThat(window.putIfAbsent(message("g", "BB", 3), 0, 1_000)).isEqualTo(id(2));
  }

  /**
   * Random programs against a reference model: a list of records in write order, where a record
   * replaced after its window keeps its place (and counts against the capacity) until it is the
   * oldest. Prints the seed that replays a failure.
   */
  @Test
  void behavesAsTheReferenceModel() {
    long seed = System.nanoTime();
    for (int program = 0; program < 200; program++) {
      long programSeed = seed + program;
      try {
        runProgram(programSeed);
      } catch (AssertionError e) {
        throw new AssertionError("replay with runProgram(" + programSeed + "L)", e);
      }
    }
  }

  private static final class ModelRecord {
    final String group;
    final String key;
    final long id;
    final long expiresAt;
    boolean live = true;

    ModelRecord(String group, String key, long id, long expiresAt) {
      this.group = group;
      this.key = key;
      this.id = id;
      this.expiresAt = expiresAt;
    }
  }

  private static void runProgram(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int capacity = 1 + random.nextInt(random.nextBoolean() ? 8 : 200);
    int groups = 1 + random.nextInt(4);
    int keys = 1 + random.nextInt(random.nextBoolean() ? 5 : 400);
    DedupWindow window = new DedupWindow(capacity);
    List<ModelRecord> model = new ArrayList<>();
    Map<String, ModelRecord> byKey = new HashMap<>();
    long now = 1_000;
    for (int step = 0; step < 2_000; step++) {
      now += random.nextInt(10) == 0 ? -random.nextInt(50) : random.nextInt(20);
      long windowMillis = random.nextInt(5) == 0 ? 5 + random.nextInt(400) : 100;
      String group = "g" + random.nextInt(groups);
      String key = "k" + random.nextInt(keys);
      @Nullable String got = window.putIfAbsent(message(group, key, step), now, windowMillis);

      @Nullable String expected = null;
      ModelRecord found = byKey.get(group + "/" + key);
      if (found != null && found.expiresAt > now) {
        expected = id(found.id);
      } else {
        if (found != null) {
          found.live = false;
          byKey.remove(group + "/" + key);
        }
        while (!model.isEmpty() && (!model.get(0).live || model.get(0).expiresAt <= now)) {
          drop(model.remove(0), byKey);
        }
        while (model.size() >= capacity) {
          drop(model.remove(0), byKey);
        }
        ModelRecord added = new ModelRecord(group, key, step, now + windowMillis);
        model.add(added);
        byKey.put(group + "/" + key, added);
      }
      assertThat(got).as("step %d: %s/%s at %d", step, group, key, now).isEqualTo(expected);
      assertThat(window.size()).as("step %d", step).isEqualTo(byKey.size());
      if (step % 50 == 0) {
        assertThat(window.consistent()).as("step %d: %s", step, window).isTrue();
      }
    }
    assertThat(window.consistent()).isTrue();
  }

  private static void drop(ModelRecord record, Map<String, ModelRecord> byKey) {
    if (record.live) {
      byKey.remove(record.group + "/" + record.key);
    }
  }
}

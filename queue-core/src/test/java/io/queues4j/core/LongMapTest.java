package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link LongMap} against a {@link HashMap} on random programs: the store's pattern (keys mostly
 * increasing, removed in rough arrival order), clustered keys that collide, and bursts that grow
 * and shrink the table. Each program's seed is in its failure message.
 */
class LongMapTest {

  @Test
  void agreesWithAReferenceMap() {
    for (long seed = 0; seed < 300; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      LongMap<String> map = new LongMap<>();
      HashMap<Long, String> reference = new HashMap<>();
      List<Long> live = new ArrayList<>();
      long next = random.nextLong(); // wraps around sometimes: keys are just bits
      int steps = 200 + random.nextInt(3_000);
      for (int step = 0; step < steps; step++) {
        String where = "seed " + seed + " step " + step;
        int op = random.nextInt(10);
        if (op < 5 || live.isEmpty()) {
          long key = random.nextInt(8) == 0 ? random.nextLong(64) * 1024 : next++;
          String value = "v" + step;
          assertThat(map.put(key, value)).as(where).isEqualTo(reference.put(key, value));
          if (!live.contains(key)) {
            live.add(key);
          }
        } else if (op < 9) {
          // mostly the oldest first, as batches settle; sometimes any
          int index = random.nextInt(4) == 0 ? random.nextInt(live.size()) : 0;
          long key = live.remove(index);
          assertThat(map.remove(key)).as(where).isEqualTo(reference.remove(key));
        } else {
          long key = random.nextInt(2) == 0 ? next + random.nextInt(10) : random.nextLong();
          assertThat(map.get(key)).as(where).isEqualTo(reference.get(key));
          assertThat(map.remove(key)).as(where).isEqualTo(reference.remove(key));
          live.remove((Long) key);
        }
        assertThat(map.size()).as(where).isEqualTo(reference.size());
      }
      for (Long key : live) {
        assertThat(map.get(key)).as("seed %s, at the end", seed).isEqualTo(reference.get(key));
      }
    }
  }

  @Test
  void growsAndShrinksKeepingEveryEntry() {
    LongMap<Long> map = new LongMap<>();
    for (long k = 0; k < 100_000; k++) {
      map.put(k * 7, k);
    }
    assertThat(map.size()).isEqualTo(100_000);
    for (long k = 0; k < 99_990; k++) {
      assertThat(map.remove(k * 7)).isEqualTo(k);
    }
    assertThat(map.size()).isEqualTo(10);
    assertThat(map.toString()).endsWith("capacity 4096)"); // shrank back with the claims
    for (long k = 99_990; k < 100_000; k++) {
      assertThat(map.get(k * 7)).isEqualTo(k);
    }
    assertThat(map.get(7)).isNull();
  }
}

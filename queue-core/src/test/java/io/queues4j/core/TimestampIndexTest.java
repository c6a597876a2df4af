package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link TimestampIndex} against a TreeMap multiset, on mostly-increasing random timestamps. */
class TimestampIndexTest {

  @Test
  void oldestMatchesAReferenceMultiset() {
    for (long seed = 0; seed < 200; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      TimestampIndex index = new TimestampIndex();
      TreeMap<Long, Integer> reference = new TreeMap<>();
      List<Long> live = new ArrayList<>();
      long clock = 1_000;
      for (int step = 0; step < 2_000; step++) {
        if (live.isEmpty() || random.nextInt(10) < 6) {
          clock += random.nextInt(3);
          long ts = random.nextInt(20) == 0 ? clock - random.nextInt(500) : clock; // some late
          index.add(ts);
          reference.merge(ts, 1, Integer::sum);
          live.add(ts);
        } else {
          long ts = live.remove(random.nextInt(live.size()));
          index.remove(ts);
          reference.computeIfPresent(ts, (k, v) -> v == 1 ? null : v - 1);
        }
        long expected = reference.isEmpty() ? Long.MAX_VALUE : reference.firstKey();
        assertThat(index.oldest()).as("seed %s step %s", seed, step).isEqualTo(expected);
        assertThat(index.isEmpty()).isEqualTo(reference.isEmpty());
      }
    }
  }

  @Test
  void removingAnAbsentTimestampIsABug() {
    TimestampIndex index = new TimestampIndex();
    index.add(5);
    assertThatThrownBy(() -> index.remove(6)).isInstanceOf(IllegalStateException.class);
  }
}

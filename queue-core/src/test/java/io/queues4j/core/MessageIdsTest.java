package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

  @Test
  void idsAre32LowercaseHexCharactersAndUnique() {
    MessageIds ids = new MessageIds();
    Set<String> seen = new HashSet<>();
    long first = ids.reserve(100_000);
    for (long i = first; i < first + 100_000; i++) {
      String id = ids.format(i);
      assertThat(id).matches("[0-9a-f]{32}");
      assertThat(seen.add(id)).as("duplicate %s", id).isTrue();
    }
    assertThat(ids.reserve(1)).isEqualTo(first + 100_000);
  }

  @Test
  void aSeedMakesIdsReproducible() {
    assertThat(new MessageIds(7).format(3)).isEqualTo(new MessageIds(7).format(3));
    assertThat(new MessageIds(7).format(3)).isNotEqualTo(new MessageIds(8).format(3));
  }

  @Test
  void twoEnginesUseDifferentPrefixes() {
    assertThat(new MessageIds().format(0).substring(0, 16))
        .isNotEqualTo(new MessageIds().format(0).substring(0, 16));
  }
}

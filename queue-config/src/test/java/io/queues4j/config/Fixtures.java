package io.queues4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Objects;

/** Test helpers. */
final class Fixtures {
  private Fixtures() {}

  /** Returns the map's value for a key, failing the test if there is none. */
  static <V> V at(Map<String, V> map, String key) {
    assertThat(map).containsKey(key);
    return Objects.requireNonNull(map.get(key));
  }
}

package io.queues4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import org.junit.jupiter.api.Test;

/** Key paths are placed at their lines in TOML and JSON files. */
class LocationsTest {

  private static Locations.Position at(int line, int column) {
    return new Locations.Position(line, column);
  }

  @Test
  void tomlArrayTablesAreCountedAndKeysPlaced() {
    Locations l =
        TomlLocator.scan(
            """
            # queues
            [[queues.producers]]
              binding = "A"   # comment with [brackets]
            [[queues.producers]]
              binding = "B"
              queue = 'b'
            [[queues.consumers]]
            queue = "a"
            [queues4j.queues."my.queue"]
            delivery_delay = 5
            """);

    assertThat(l.find("queues.producers[0]")).isEqualTo(at(2, 1));
    assertThat(l.find("queues.producers[0].binding")).isEqualTo(at(3, 3));
    assertThat(l.find("queues.producers[1].binding")).isEqualTo(at(5, 3));
    assertThat(l.find("queues.producers[1].queue")).isEqualTo(at(6, 3));
    assertThat(l.find("queues.consumers[0].queue")).isEqualTo(at(8, 1));
    assertThat(l.find("queues4j.queues.my.queue.delivery_delay")).isEqualTo(at(10, 1));
    assertThat(l.find("queues")).isEqualTo(at(2, 1));
  }

  @Test
  void tomlMultiLineValuesAreSkippedAndInlineTablesBorrowTheirLine() {
    Locations l =
        TomlLocator.scan(
            """
            notes = \"""
            queue = "not a key"
            \"""
            list = [
              "x = 1",
              { queue = "inline" },
            ]
            queues = { consumers = [ { queue = "jobs", max_retries = 200 } ] }
            [env.staging]
            name = "s"
            """);

    assertThat(l.find("queue")).isEqualTo(Locations.Position.UNKNOWN);
    assertThat(l.find("list")).isEqualTo(at(4, 1));
    assertThat(l.find("queues.consumers[0].max_retries")).isEqualTo(at(8, 1));
    assertThat(l.find("env.staging.name")).isEqualTo(at(10, 1));
    assertThat(l.find("env")).isEqualTo(at(9, 1));
  }

  @Test
  void tomlSubTablesOfAnArrayElementBelongToTheLastElement() {
    Locations l =
        TomlLocator.scan(
            """
            [[a]]
            x = 1
            [[a]]
            [a.b]
            y = 2
            """);

    assertThat(l.find("a[1].b.y")).isEqualTo(at(5, 1));
    assertThat(l.find("a[0].x")).isEqualTo(at(2, 1));
  }

  @Test
  void jsonKeysAndElementsArePlacedAtTheirTokens() throws Exception {
    JsonFactory f =
        JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();
    Locations l =
        JsonLocator.scan(
            f,
            """
            {
              // comment
              "queues": {
                "consumers": [
                  {"queue": "a"},
                  {"queue": "b",
                   "max_retries": 3}
                ]
              },
              "list": [1, [2, 3]]
            }
            """);

    assertThat(l.find("queues")).isEqualTo(at(3, 3));
    assertThat(l.find("queues.consumers[0]")).isEqualTo(at(5, 7));
    assertThat(l.find("queues.consumers[0].queue")).isEqualTo(at(5, 8));
    assertThat(l.find("queues.consumers[1].max_retries")).isEqualTo(at(7, 8));
    assertThat(l.find("list[1][0]")).isEqualTo(at(10, 16));
    assertThat(l.find("list[1][1]")).isEqualTo(at(10, 19));
    assertThat(l.find("nothing.here")).isEqualTo(Locations.Position.UNKNOWN);
  }

  @Test
  void pathsStepUpToTheirParents() {
    assertThat(Locations.parent("a.b[0].c")).isEqualTo("a.b[0]");
    assertThat(Locations.parent("a.b[0]")).isEqualTo("a.b");
    assertThat(Locations.parent("a")).isEmpty();
    assertThat(Locations.child("", "a")).isEqualTo("a");
    assertThat(Locations.element("a", 2)).isEqualTo("a[2]");
  }
}

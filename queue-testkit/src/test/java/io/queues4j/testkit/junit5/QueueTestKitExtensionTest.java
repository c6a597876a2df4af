package io.queues4j.testkit.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.testkit.QueueTestKit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QueueTestKitExtensionTest {
  private static final List<QueueTestKit> SEEN = new ArrayList<>();

  @RegisterExtension
  final QueueTestKitExtension queues =
      new QueueTestKitExtension(() -> QueueTestKit.builder().strict(false).build());

  private QueueTestKit fromBeforeEach = QueueTestKit.create();

  @BeforeEach
  void setUp(QueueTestKit kit) {
    fromBeforeEach.close(); // the placeholder
    fromBeforeEach = kit;
  }

  @Test
  void injectsOneKitPerTestSharedWithBeforeEach(QueueTestKit kit) {
    assertThat(kit).isSameAs(fromBeforeEach);
    SEEN.add(kit);
    kit.declareQueue("q");
    kit.<String>queue("q").send("left behind").join(); // non-strict: closing is quiet
  }

  @Test
  void eachTestGetsItsOwnKit(QueueTestKit kit) {
    assertThat(SEEN).doesNotContain(kit);
    SEEN.add(kit);
  }

  @AfterAll
  static void everyKitWasClosed() {
    assertThat(SEEN).hasSize(2);
    for (QueueTestKit kit : SEEN) {
      assertThatThrownBy(() -> kit.queue("q")).isInstanceOf(IllegalStateException.class);
    }
  }
}

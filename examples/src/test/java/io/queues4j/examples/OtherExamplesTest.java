package io.queues4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Runs the smaller example programs and checks what they print. */
class OtherExamplesTest {
  private final OutputCapture out = new OutputCapture();

  @Test
  void quickStartReceivesEveryGreeting() throws InterruptedException {
    assertThat(QuickStart.run(out.stream)).isZero();

    assertThat(out.text().lines())
        .containsExactlyInAnyOrder(
            "received Greeting[to=Ada, text=hello], attempt 1",
            "received Greeting[to=Grace, text=hi], attempt 1",
            "received Greeting[to=Linus, text=hey], attempt 1");
  }

  @Test
  void theConsumerAppProcessesWhatTheProducerAppQueues() throws InterruptedException {
    assertThat(SeparateAppsDemo.run(new String[] {"alpha", "beta"}, out.stream)).isZero();

    assertThat(out.text())
        .containsPattern("producer: queued 'alpha' as task [0-9a-f-]{36}")
        .containsPattern("consumer: task [0-9a-f-]{36} processed 'ALPHA'")
        .containsPattern("consumer: task [0-9a-f-]{36} processed 'BETA'")
        .contains("2 of 2 tasks processed");
  }

  @Test
  void theOutboxRetriesGreylistingAndAcknowledgesABounce() throws InterruptedException {
    assertThat(EmailOutboxDemo.run(out.stream)).as(out.text()).isZero();

    assertThat(out.text())
        .contains("attempt 1 to ada@example.com          451 4.7.1 greylisted, try again later")
        .contains("attempt 2 to ada@example.com          250 2.0.0 queued for delivery")
        .contains("attempt 1 to nobody@mailer.invalid    550 5.1.2 domain of")
        .contains("bounced, not retried: nobody@mailer.invalid")
        .doesNotContain("attempt 2 to nobody@mailer.invalid")
        .contains(
            "outbox: 4 emails queued, 3 delivered, 1 bounced, 3 greylisted retries,"
                + " 0 dead-lettered");
  }

  @Test
  void profileUpdatesOfAUserApplyInOrder() throws InterruptedException {
    assertThat(UpdateProfile.run(out.stream)).as(out.text()).isZero();

    java.util.List<String> writes = out.text().lines().filter(l -> l.startsWith("crm: u1")).toList();
    assertThat(writes).hasSize(2);
    assertThat(writes.get(0)).startsWith("crm: u1 -> ada@old.example (group u1, sequence ");
    assertThat(writes.get(1)).startsWith("crm: u1 -> ada@new.example (group u1, sequence ");
    assertThat(out.text()).contains("crm holds every user's latest email: true");
  }

  @Test
  void aDoubleSubmittedCheckoutIsChargedOnce() throws InterruptedException {
    assertThat(Checkout.run(out.stream)).as(out.text()).isZero();

    assertThat(out.text())
        .containsPattern("submission 1 of order-1001: job ([0-9a-f]{32})\n")
        .containsPattern("submission 2 of order-1001: job [0-9a-f]{32} \\(duplicate, not queued again\\)")
        .containsPattern("charges: \\[order-100[12], order-100[12]\\]; duplicates ignored: 1")
        .containsOnlyOnce("for order order-1001").containsOnlyOnce("for order order-1002");
    String first = out.text().lines().filter(l -> l.startsWith("submission 1")).findFirst()
        .orElseThrow().replaceAll(".*job ", "");
    assertThat(out.text()).contains("submission 2 of order-1001: job " + first + " (duplicate");
  }
}

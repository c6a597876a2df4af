package io.queues4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandLineTest {
  @Test
  void readsValuesInBothFormsAndRepeatedConfigs() throws Exception {
    CommandLine c =
        CommandLine.parse("--config", "a.toml", "--config=w7s.json", "--port", "9000", "--host=0.0.0.0",
            "--store", "memory", "--grace-period", "2.5", "--probe-port", "9100", "--env", "staging");

    assertThat(c.configs()).containsExactly("a.toml", "w7s.json");
    assertThat(c.value(Setting.PORT)).isEqualTo("9000");
    assertThat(c.value(Setting.HOST)).isEqualTo("0.0.0.0");
    assertThat(c.value(Setting.STORE)).isEqualTo("memory");
    assertThat(c.value(Setting.GRACE_PERIOD)).isEqualTo("2.5");
    assertThat(c.value(Setting.PROBE_PORT)).isEqualTo("9100");
    assertThat(c.value(Setting.WRANGLER_ENV)).isEqualTo("staging");
    assertThat(c.check()).isFalse();
    assertThat(c.help()).isFalse();
    assertThat(c.insecureNoAuth()).isFalse();
  }

  @Test
  void readsSwitches() throws Exception {
    CommandLine c = CommandLine.parse("--check", "--insecure-no-auth", "-h");

    assertThat(c.check()).isTrue();
    assertThat(c.insecureNoAuth()).isTrue();
    assertThat(c.help()).isTrue();
    assertThat(CommandLine.parse("--help").help()).isTrue();
    assertThat(CommandLine.parse().configs()).isEmpty();
  }

  @Test
  void aValueMayStartWithOneDash() throws Exception {
    assertThat(CommandLine.parse("--port", "-1").value(Setting.PORT)).isEqualTo("-1");
  }

  @Test
  void refusesWhatItDoesNotUnderstandInOneLine() {
    assertUsage(new String[] {"--prot", "80"}, "unknown option '--prot' (did you mean --port?)");
    assertUsage(new String[] {"--bogus"}, "unknown option '--bogus'");
    assertUsage(new String[] {"--port"}, "--port needs a value: --port <port>");
    assertUsage(new String[] {"--port", "--check"}, "--port needs a value: --port <port>");
    assertUsage(new String[] {"--port", "1", "--port", "2"}, "--port was given twice");
    assertUsage(new String[] {"--check=yes"}, "--check takes no value but was given 'yes'");
    assertUsage(new String[] {"wrangler.toml"},
        "unexpected argument 'wrangler.toml': give configuration files with --config");
    assertUsage(new String[] {"--"}, "unexpected argument '--'");
    assertUsage(new String[] {"--x\nsecond line"}, "unknown option '--x?second line'");
  }

  private static void assertUsage(String[] args, String message) {
    assertThatThrownBy(() -> CommandLine.parse(args))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}

package io.queues4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final Router router = new Router();

  @Test
  void matchesLiteralsAndParametersAndPrefersTheMoreLiteralRoute() {
    router.add("POST", "/api/v1/queues/{owner}/{repo}/{queue}", true, ex -> {});
    router.add("POST", "/api/v1/queues/acme/{repo}/special", true, ex -> {});
    Router.Match m = router.match("POST", "/api/v1/queues/acme/worker/jobs");
    assertThat(m.route()).isNotNull();
    assertThat(m.params()).isEqualTo(Map.of("owner", "acme", "repo", "worker", "queue", "jobs"));
    Router.Match special = router.match("POST", "/api/v1/queues/acme/worker/special");
    assertThat(special.route()).isNotNull();
    assertThat(java.util.Objects.requireNonNull(special.route()).pattern()).isEqualTo("/api/v1/queues/acme/{repo}/special");
  }

  @Test
  void reportsTheAllowedMethodsOfAPathThatMatchesOnlyOtherMethods() {
    router.add("GET", "/healthz", false, ex -> {});
    router.add("POST", "/tasks", true, ex -> {});
    Router.Match m = router.match("DELETE", "/healthz");
    assertThat(m.route()).isNull();
    assertThat(m.allowed()).containsExactly("GET");
    Router.Match none = router.match("GET", "/nothing");
    assertThat(none.route()).isNull();
    assertThat(none.allowed()).isEmpty();
  }

  @Test
  void emptySegmentsAndTrailingSlashesDoNotMatchParameters() {
    router.add("POST", "/a/{x}", true, ex -> {});
    assertThat(router.match("POST", "/a/").route()).isNull();
    assertThat(router.match("POST", "/a/b/").route()).isNull();
    assertThat(router.match("POST", "/a//").route()).isNull();
    assertThat(router.match("POST", "/a/b").route()).isNotNull();
  }

  @Test
  void refusesMalformedAndClashingRoutes() {
    router.add("POST", "/a/{x}", true, ex -> {});
    assertThatThrownBy(() -> router.add("POST", "/a/{y}", true, ex -> {}))
        .hasMessageContaining("route POST /a/{y} clashes with POST /a/{x}");
    assertThatThrownBy(() -> router.add("POST", "a", true, ex -> {}))
        .hasMessageContaining("must start with '/' but was 'a'");
    assertThatThrownBy(() -> router.add("POST", "/a/../b", true, ex -> {}))
        .hasMessageContaining("empty or dot segment");
    assertThatThrownBy(() -> router.add("POST", "/a/{b", true, ex -> {}))
        .hasMessageContaining("malformed parameter");
    router.add("GET", "/a/{x}", true, ex -> {}); // another method is no clash
  }
}

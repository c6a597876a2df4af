package io.queues4j.config;

import static java.util.Objects.requireNonNull;

import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import io.queues4j.core.QueueSettings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The queues a configuration file declares: producer bindings, queue settings, consumer settings
 * and, for W7S, the allowlist. Read with {@link ConfigLoader}.
 *
 * <pre>{@code
 * QueueConfig config = ConfigLoader.builder().build().load(Path.of("wrangler.toml"));
 * try (QueueEngine engine = QueueEngine.builder().build()) {
 *   Bindings env = config.applyTo(engine);                 // declares every queue
 *   engine.consume("jobs", Job.class, config.consumerSettings("jobs"), new JobConsumer());
 *   env.<Job>binding("JOBS").send(new Job("report")).join();
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe. Maps and lists keep the file's order.
 */
public final class QueueConfig {
  private final String source;
  private final ConfigFormat format;
  private final ConfigProfile profile;
  private final @Nullable String environment;
  private final Map<String, String> producers;
  private final Map<String, QueueSettings> queues;
  private final Map<String, ConsumerDeclaration> consumers;
  private final List<AllowEntry> allowlist;
  private final List<Problem> warnings;

  QueueConfig(
      String source,
      ConfigFormat format,
      ConfigProfile profile,
      @Nullable String environment,
      Map<String, String> producers,
      Map<String, QueueSettings> queues,
      Map<String, ConsumerDeclaration> consumers,
      List<AllowEntry> allowlist,
      List<Problem> warnings) {
    this.source = source;
    this.format = format;
    this.profile = profile;
    this.environment = environment;
    this.producers = copy(producers);
    this.queues = copy(queues);
    this.consumers = copy(consumers);
    this.allowlist = List.copyOf(allowlist);
    this.warnings = List.copyOf(warnings);
  }

  private static <V> Map<String, V> copy(Map<String, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /**
   * Returns the file the configuration was read from.
   *
   * @return the path or name given to the loader
   */
  public String source() {
    return source;
  }

  /**
   * Returns the file's format.
   *
   * @return the format
   */
  public ConfigFormat format() {
    return format;
  }

  /**
   * Returns the profile the file was checked against.
   *
   * @return the profile
   */
  public ConfigProfile profile() {
    return profile;
  }

  /**
   * Returns the wrangler environment whose queues were read ({@code [env.<name>]}).
   *
   * @return the environment, or empty for the top level
   */
  public Optional<String> environment() {
    return Optional.ofNullable(environment);
  }

  /**
   * Returns the producer bindings: binding name ({@code JOBS}) to queue name ({@code jobs}).
   *
   * @return an unmodifiable map, empty for a W7S file (W7S apps send over HTTP)
   */
  public Map<String, String> producers() {
    return producers;
  }

  /**
   * Returns every queue that {@link #applyTo} declares, with its settings: the queues of the
   * producers, the consumers and their dead-letter queues, and those of the {@code queues4j}
   * table; settings come from {@code [queues4j.queues.<name>]}, else the profile's defaults.
   *
   * @return an unmodifiable map from queue name to settings
   */
  public Map<String, QueueSettings> queues() {
    return queues;
  }

  /**
   * Returns the declared consumers by queue name.
   *
   * @return an unmodifiable map from queue name to its consumer
   */
  public Map<String, ConsumerDeclaration> consumers() {
    return consumers;
  }

  /**
   * Returns the settings of a queue's declared consumer, to attach it: {@code
   * engine.consume(queue, Job.class, config.consumerSettings(queue), handler)}. For an {@link
   * ConsumerType#HTTP_PULL} consumer these are its batch size, retries and dead-letter queue; the
   * engine does not serve pull consumers yet.
   *
   * @param queue the consumed queue
   * @return its consumer settings
   * @throws IllegalArgumentException if the file declares no consumer for the queue
   */
  public ConsumerSettings consumerSettings(String queue) {
    requireNonNull(queue, "queue");
    ConsumerDeclaration consumer = consumers.get(queue);
    if (consumer == null) {
      throw new IllegalArgumentException(
          source + " declares no consumer for queue '" + queue + "'"
              + Declarations.suggestion(queue, consumers.keySet()) + "; declared consumers: "
              + consumers.keySet());
    }
    return consumer.settings();
  }

  /**
   * Returns a W7S app's allowlist: the owners and repositories of other GitHub owners allowed to
   * send to its queues. Apps under the same owner may always send.
   *
   * @return an unmodifiable list, empty when the file has none
   */
  public List<AllowEntry> allowlist() {
    return allowlist;
  }

  /**
   * Returns the file's warnings: unknown keys (outside strict mode), deprecated or ineffective
   * keys, an environment that does not redeclare the top level's queues. Each was also logged at
   * WARN when the file was loaded.
   *
   * @return an unmodifiable list
   */
  public List<Problem> warnings() {
    return warnings;
  }

  /**
   * Declares every queue of {@link #queues()} on the engine, with its settings, and returns the
   * producer bindings. Declaring again with equal settings does nothing, so two configurations
   * (or a configuration and code) may share a queue if they agree on its settings.
   *
   * @param engine the engine
   * @return the producer bindings of this configuration, bound to the engine
   * @throws IllegalStateException if a queue already exists with other settings, or the engine is
   *     closed
   */
  public Bindings applyTo(QueueEngine engine) {
    requireNonNull(engine, "engine");
    queues.forEach(engine::declareQueue);
    return new Bindings(engine, source, producers);
  }

  @Override
  public String toString() {
    return "QueueConfig{source=" + source + ", profile=" + profile
        + (environment == null ? "" : ", environment=" + environment) + ", producers="
        + producers + ", queues=" + queues.keySet() + ", consumers=" + consumers.keySet() + "}";
  }
}

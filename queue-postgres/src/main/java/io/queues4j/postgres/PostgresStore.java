package io.queues4j.postgres;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueMetrics;
import io.queues4j.spi.MessageStore;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.StoreException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MessageStore} in PostgreSQL, which <b>many engines share</b>: engines (in one JVM or
 * many) built on stores with the same database and schema share every queue. A message is
 * delivered to one engine at a time; batching, delays, retries, dead-letter moves, retention and
 * held dead letters behave as in one process.
 *
 * <pre>{@code
 * PostgresStore store = PostgresStore.builder(dataSource).schema("queues4j").build();
 * try (QueueEngine engine = QueueEngine.builder().store(store).build()) { // closes the store
 *   engine.declareQueue("jobs");
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Claims and leases.</b> A claim takes ready rows with {@code FOR UPDATE SKIP LOCKED}, adds
 * one to their attempts and stamps them with a new lease token and the {@code leaseUntil} the
 * engine passes. A claimed message whose lease ended is claimable again (that delivery counts an
 * attempt). A settlement applies only while its row still carries its claim's key and lease token
 * ({@code WHERE key = ? AND lease = ? AND state = 1}, in the statement itself); otherwise the
 * message was claimed again elsewhere and the settlement is reported in {@link
 * io.queues4j.spi.SettleResult#stale()}. Times are the engines' clocks (the {@code now} and
 * {@code leaseUntil} each engine passes), so hosts need synchronised clocks; the engine's lease
 * margin (a minute beyond batch and handler timeouts) covers ordinary skew.
 *
 * <p><b>Wake-ups.</b> A transaction that adds or returns messages sends a {@code NOTIFY} that
 * other stores on the schema receive once it commits; their engines then claim. Polling is the
 * fallback (see {@link Builder#pollInterval}).
 *
 * <p><b>Connections.</b> At most {@link Builder#maxConnections} connections at once, borrowed
 * from the data source: one held for listening, and one per worker thread while it has work (use
 * a pool such as HikariCP). If the database is unreachable, operations fail with {@link
 * StoreException} (a send with {@code QueueStorageException}) and change nothing; the engine
 * retries claims and settlements every second and consumers resume by themselves.
 *
 * <p><b>Closing.</b> {@link #close()} finishes queued operations, gives back the claims this
 * store still holds (their messages are delivered again, attempts kept), and releases its
 * threads and connections.
 *
 * <p><b>Thread-safety:</b> thread-safe. Operations run on the store's threads, named {@code
 * queues4j-postgres-N}; their stages complete there, after the commit.
 */
public final class PostgresStore implements MessageStore {
  private static final Logger logger = LoggerFactory.getLogger(PostgresStore.class);
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,47}");

  final DataSource dataSource;
  final Workers workers;
  final long owner;
  private final Sql sql;
  private final @Nullable Listener listener;
  private final ConcurrentHashMap<String, PostgresQueueStore> byName = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, PostgresQueueStore> byId = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private PostgresStore(Builder b) {
    this.dataSource = b.dataSource;
    this.sql = new Sql(b.schema);
    long id;
    do {
      id = new SecureRandom().nextLong() & Long.MAX_VALUE;
    } while (id == 0);
    this.owner = id;
    try (Connection c = dataSource.getConnection()) {
      if (b.migrate) {
        Migrations.apply(c, b.schema);
      } else {
        Migrations.verify(c, b.schema);
      }
    } catch (SQLException e) {
      throw new StoreException(this + ": cannot open: " + e.getMessage(), e);
    }
    this.workers = new Workers(dataSource, sql, owner, toString(), b.maxConnections - 1, b.direct,
        this::metricsChanged);
    if (b.direct) {
      listener = null;
    } else {
      listener = new Listener(this, sql, owner, b.pollInterval.toMillis(),
          b.metricsRefreshInterval.toMillis());
      listener.start();
    }
  }

  /**
   * Starts building a store on a data source.
   *
   * @param dataSource where connections come from; a pool (HikariCP, say) sized for at least
   *     {@link Builder#maxConnections} connections of this store
   * @return a builder
   * @throws NullPointerException if {@code dataSource} is {@code null}
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(requireNonNull(dataSource, "dataSource"));
  }

  /**
   * Returns the schema this store keeps its tables in.
   *
   * @return the schema name
   */
  public String schema() {
    return sql.schema;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Registers the queue in the database (once for every engine) and reads its current
   * metrics, on the calling thread.
   *
   * @throws StoreException if the database cannot be reached, or the store is closed
   */
  @Override
  public QueueStore queue(String queue) {
    requireNonNull(queue, "queue");
    if (closed.get()) {
      throw new StoreException(this + " is closed: cannot open queue '" + queue + "'", null);
    }
    return byName.computeIfAbsent(queue, this::register);
  }

  private PostgresQueueStore register(String name) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement st = c.prepareStatement(sql.registerQueue)) {
        st.setString(1, name);
        st.executeUpdate();
      }
      int id;
      try (PreparedStatement st = c.prepareStatement(sql.queueId)) {
        st.setString(1, name);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          id = rs.getInt(1);
        }
      }
      QueueMetrics metrics = QueueMetrics.EMPTY;
      try (PreparedStatement st = c.prepareStatement(sql.backlog)) {
        st.setArray(1, c.createArrayOf("int4", new Integer[] {id}));
        try (ResultSet rs = st.executeQuery()) {
          if (rs.next()) {
            metrics = Transaction.metrics(rs.getLong(2), rs.getLong(3), rs.getLong(4));
          }
        }
      }
      PostgresQueueStore q = new PostgresQueueStore(this, name, id, metrics);
      byId.put(id, q);
      return q;
    } catch (SQLException e) {
      throw new StoreException(this + ": cannot open queue '" + name + "': " + e.getMessage(), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Every queue of the schema, including those other engines declared.
   *
   * @throws StoreException if the database cannot be reached
   */
  @Override
  public Map<String, QueueMetrics> storedQueues() {
    Map<String, QueueMetrics> stored = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(sql.storedQueues);
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        stored.put(rs.getString(1), Transaction.metrics(rs.getLong(2), rs.getLong(3),
            rs.getLong(4)));
      }
    } catch (SQLException e) {
      throw new StoreException(this + ": cannot list the stored queues: " + e.getMessage(), e);
    }
    return stored;
  }

  /**
   * {@inheritDoc}
   *
   * @return {@code false}: the backlog is in the database
   */
  @Override
  public boolean heapResident() {
    return false;
  }

  /**
   * {@inheritDoc}
   *
   * @return {@code true}: a send completes once its transaction has committed
   */
  @Override
  public boolean durable() {
    return true;
  }

  /**
   * Finishes the operations already queued, gives back the claims this store still holds (their
   * messages become deliverable again, attempts kept, and other engines are told), then stops
   * the store's threads and returns its connections. Later operations fail with {@link
   * StoreException}. Idempotent.
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    workers.close(10_000);
    releaseOwnClaims();
    if (listener != null) {
      listener.close();
    }
  }

  private void releaseOwnClaims() {
    if (byId.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      Integer[] queueIds = byId.keySet().toArray(new Integer[0]);
      // FIFO groups first (see FifoRows): their head rows, locked, then set from the messages
      Transaction tx = new Transaction(c, sql, Sql.FOLDED_SLOT, owner);
      List<FifoRows.GroupRef> groups = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(sql.fifo.ownedGroups)) {
        st.setArray(1, c.createArrayOf("int4", queueIds));
        st.setLong(2, owner);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            groups.add(new FifoRows.GroupRef(rs.getInt(1), rs.getString(2)));
          }
        }
      }
      FifoRows.lock(tx, groups);
      List<Integer> released = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(sql.releaseOwned)) {
        st.setArray(1, c.createArrayOf("int4", queueIds));
        st.setLong(2, owner);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            released.add(rs.getInt(1));
          }
        }
      }
      FifoRows.recompute(tx, groups);
      try (PreparedStatement st = c.prepareStatement(sql.notify)) {
        List<String> payloads = new ArrayList<>();
        payloads.add(Long.toHexString(owner) + ":close"); // wakes this store's listener
        for (int id : new java.util.TreeSet<>(released)) {
          payloads.add("0:" + id);
        }
        st.setString(1, sql.channel);
        st.setArray(2, c.createArrayOf("text", payloads.toArray(new String[0])));
        st.executeQuery().close();
      }
      c.commit();
      if (!released.isEmpty()) {
        logger.info("{} gave back {} claimed messages at close; they will be delivered again",
            this, released.size());
      }
    } catch (SQLException e) {
      logger.warn("{} could not give back its claims at close ({}); they are delivered again"
          + " once their leases end", this, e.toString());
    }
  }

  // ---- for the store's parts ----

  Collection<PostgresQueueStore> openQueues() {
    return byId.values();
  }

  void wake(int queueId) {
    PostgresQueueStore q = byId.get(queueId);
    if (q != null) {
      q.wake();
    }
  }

  void wakeAll() {
    byId.values().forEach(PostgresQueueStore::wake);
  }

  Sql sql() {
    return sql;
  }

  /** Whether the store has started listening (and woken its queues once then); direct: true. */
  boolean listening() {
    Listener l = listener;
    return l == null || l.listening();
  }

  private void metricsChanged(Map<Integer, Transaction.Totals> totals) {
    totals.forEach((id, metrics) -> {
      PostgresQueueStore q = byId.get(id);
      if (q != null) {
        q.metricsChanged(metrics);
      }
    });
  }

  @Override
  public String toString() {
    return "PostgreSQL store (schema '" + sql.schema + "')";
  }

  /**
   * Settings of a {@link PostgresStore}. Not thread-safe; {@link #build()} may be called more
   * than once (each store is independent, sharing the schema).
   */
  public static final class Builder {
    private final DataSource dataSource;
    private String schema = "queues4j";
    private boolean migrate = true;
    private int maxConnections = 5;
    private Duration pollInterval = Duration.ofSeconds(2);
    private Duration metricsRefreshInterval = Duration.ofSeconds(1);
    private boolean direct;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Sets the schema that holds the store's tables; every engine whose store names the same
     * database and schema shares its queues. Default {@code queues4j}.
     *
     * @param schema 1 to 48 characters: lowercase letters, digits and {@code _}, not starting
     *     with a digit
     * @return this builder
     * @throws IllegalArgumentException if the name is not of that form
     */
    public Builder schema(String schema) {
      requireNonNull(schema, "schema");
      if (!SCHEMA.matcher(schema).matches()) {
        throw new IllegalArgumentException("schema must match " + SCHEMA.pattern()
            + " but was '" + schema + "'");
      }
      this.schema = schema;
      return this;
    }

    /**
     * Sets whether the store creates its schema and applies its migration scripts when it opens
     * (default {@code true}). Turn it off when Flyway, Liquibase or a DBA applies the scripts in
     * {@code classpath:io/queues4j/postgres/migration/}; the store then only checks that its
     * tables exist.
     *
     * @param migrate whether to migrate on open
     * @return this builder
     */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /**
     * Sets the most connections the store holds at once: one for listening, the rest for its
     * worker threads (one each, borrowed while the thread has work). Default 5 (4 workers).
     *
     * @param maxConnections at least 2
     * @return this builder
     * @throws IllegalArgumentException if {@code maxConnections < 2} or above 64
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 2 || maxConnections > Sql.WORKER_SLOTS + 1) {
        throw new IllegalArgumentException("maxConnections must be in [2, "
            + (Sql.WORKER_SLOTS + 1) + "] but was " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * Sets the longest wait between two polls for ready messages, the fallback for
     * notifications: polls start 100 ms apart and back off (doubling) while they find nothing, up
     * to this interval. It bounds how long a message waits when no notification announces it: a
     * claim whose lease ran out in a process that died, or a notification lost while the
     * listening connection was down. Default 2 s.
     *
     * @param pollInterval from 100 ms to 1 hour
     * @return this builder
     * @throws IllegalArgumentException if outside that range
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = checkInterval("pollInterval", pollInterval);
      return this;
    }

    /**
     * Sets how often the store reads every open queue's backlog from the database, so that
     * {@code metrics()} reflects other engines' sends and deliveries. Default 1 s. Between
     * refreshes, each write of this store updates the queues it touched.
     *
     * @param interval from 100 ms to 1 hour
     * @return this builder
     * @throws IllegalArgumentException if outside that range
     */
    public Builder metricsRefreshInterval(Duration interval) {
      this.metricsRefreshInterval = checkInterval("metricsRefreshInterval", interval);
      return this;
    }

    private static Duration checkInterval(String what, Duration d) {
      requireNonNull(d, what);
      if (d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(what + " must be in [100 ms, 1 h] but was " + d);
      }
      return d;
    }

    /**
     * Direct mode, for tests on virtual time: no threads, each operation runs on the caller's
     * thread in its own transaction and its stage is complete when the call returns; no
     * listening and no polling (for an engine that is alone on its schema).
     */
    Builder direct() {
      this.direct = true;
      return this;
    }

    /**
     * Opens the store: creates the schema and applies migrations (unless turned off), then
     * starts its threads.
     *
     * @return the store
     * @throws StoreException if the database cannot be reached, or the schema lacks the tables
     *     and migration is off
     */
    public PostgresStore build() {
      return new PostgresStore(this);
    }
  }
}

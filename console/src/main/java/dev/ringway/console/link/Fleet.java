package dev.ringway.console.link;

import dev.ringway.config.ConfigError;
import dev.ringway.config.ConfigOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;

/**
 * Several servers watched at once: one {@link ServerLink} per profile, each on its own thread, so a
 * server that stops or hangs affects only its own row. A link whose first connection fails is
 * opened again every {@link #REOPEN_AFTER} (a {@link ServerLink} retries only after it has been
 * connected once), except when the login was refused, which retrying cannot mend.
 *
 * <pre>{@code
 * Fleet fleet = Fleet.open(profiles, row -> ...);
 * Map<String, FleetOutcome> outcomes = fleet.apply(List.of("a", "b"), Map.of("io.tun.rxSlots", "32"));
 * }</pre>
 */
public final class Fleet implements AutoCloseable {
  /** How long after a failed first connection the fleet tries that server again. */
  static final Duration REOPEN_AFTER = Duration.ofSeconds(3);

  /** How long one server may take to answer a tuning change before it counts as unreachable. */
  static final Duration APPLY_DEADLINE = Duration.ofSeconds(30);

  private static final ObjectName SERVER = name("type=Server");
  private static final ObjectName ALERTS = name("type=Alerts");

  /** Told of every row change; called on the links' threads, possibly at the same time. */
  @FunctionalInterface
  public interface Listener {
    void rowChanged(FleetRow row);
  }

  private final Map<String, Member> members = new LinkedHashMap<>();
  private final Listener listener;
  private final ScheduledExecutorService reopener =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("ringway-fleet-reopen").unstarted(r));
  private final ExecutorService calls =
      Executors.newCachedThreadPool(
          r -> Thread.ofPlatform().daemon().name("ringway-fleet-call").unstarted(r));
  private volatile boolean closed;

  private Fleet(Listener listener) {
    this.listener = listener;
  }

  /**
   * Starts watching every server in {@code profiles}. Rows are named by the profiles' names; a name
   * met twice gets a {@code #2} suffix.
   */
  public static Fleet open(List<Profile> profiles, Listener listener) {
    Fleet fleet = new Fleet(Objects.requireNonNull(listener));
    for (Profile profile : profiles) {
      String name = profile.name() == null ? profile.address() : profile.name();
      String unique = name;
      for (int n = 2; fleet.members.containsKey(unique); n++) {
        unique = name + " #" + n;
      }
      fleet.members.put(unique, fleet.new Member(unique, profile));
    }
    fleet.members.values().forEach(Member::open);
    return fleet;
  }

  /** The rows' names, in the profiles' order. */
  public List<String> names() {
    return List.copyOf(members.keySet());
  }

  /** Every server's row as of now, in the profiles' order. */
  public List<FleetRow> rows() {
    return members.values().stream().map(m -> m.row.get()).toList();
  }

  /** The profile behind row {@code name}. */
  public Profile profile(String name) {
    return member(name).profile;
  }

  private Member member(String name) {
    Member member = members.get(name);
    if (member == null) {
      throw new IllegalArgumentException("no server named " + name + " in this fleet");
    }
    return member;
  }

  /**
   * Applies {@code changes} (YAML key to text) to each server in {@code names}, all at once and
   * each on its own: a server's live values are read, the change is checked against them with the
   * yaml-config rules (the server's own; its slot budget depends on its ring size and mode) and, if
   * it passes, sent as one atomic {@code Tunables.apply}. Keys already at the asked value are left
   * out, as the Tuning tab does. Blocks until every server answered or {@link #APPLY_DEADLINE}
   * passed; call it off the UI thread.
   *
   * @return each named server's outcome, in the order of {@code names}
   */
  public Map<String, FleetOutcome> apply(Collection<String> names, Map<String, String> changes) {
    Map<String, Future<FleetOutcome>> pending = new LinkedHashMap<>();
    for (String name : names) {
      Member member = member(name);
      pending.put(name, calls.submit(() -> member.apply(changes)));
    }
    long deadline = System.nanoTime() + APPLY_DEADLINE.toNanos();
    Map<String, FleetOutcome> outcomes = new LinkedHashMap<>();
    for (Map.Entry<String, Future<FleetOutcome>> entry : pending.entrySet()) {
      FleetOutcome outcome;
      try {
        outcome =
            entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        entry.getValue().cancel(true);
        outcome =
            new FleetOutcome.Unreachable(
                "no answer within "
                    + APPLY_DEADLINE.toSeconds()
                    + " s; the change may have landed");
      } catch (ExecutionException e) {
        outcome = new FleetOutcome.Unreachable(ServerLink.causeOf(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        outcome = new FleetOutcome.Unreachable("interrupted before the answer");
      }
      outcomes.put(entry.getKey(), outcome);
      members.get(entry.getKey()).update(row -> row.withOutcome(outcomes.get(entry.getKey())));
    }
    return outcomes;
  }

  /** Stops every link. */
  @Override
  public void close() {
    closed = true;
    reopener.shutdownNow();
    calls.shutdownNow();
    for (Member member : members.values()) {
      ServerLink link = member.link;
      if (link != null) {
        link.close();
      }
    }
  }

  /** One server: its link, reopened after a failed first connection, and its row. */
  private final class Member implements ServerLink.Listener {
    private final String name;
    private final Profile profile;
    private final AtomicReference<FleetRow> row;
    private volatile ServerLink link;

    Member(String name, Profile profile) {
      this.name = name;
      this.profile = profile;
      this.row = new AtomicReference<>(FleetRow.connecting(name, profile.address()));
    }

    void open() {
      if (!closed) {
        link = ServerLink.open(profile, this, ServerLink.POLL_INTERVAL, false);
      }
    }

    void update(java.util.function.UnaryOperator<FleetRow> change) {
      listener.rowChanged(row.updateAndGet(change));
    }

    @Override
    public void stateChanged(LinkState state) {
      switch (state) {
        case LinkState.Connecting c ->
            // A reopened link starts with Connecting; the row stays down, with its cause, until
            // the server answers, rather than flicker every few seconds.
            update(r ->
                r.status() == FleetRow.Status.DOWN ? r : r.with(FleetRow.Status.CONNECTING, ""));
        case LinkState.Connected c ->
            update(r ->
                r.with(
                        FleetRow.Status.CONNECTED,
                        c.role().name().toLowerCase(java.util.Locale.ROOT))
                    .withIdentity(c.version(), r.engine()));
        case LinkState.Reconnecting r ->
            update(old ->
                old.with(
                    r.attempt() <= 1 ? FleetRow.Status.RECONNECTING : FleetRow.Status.DOWN,
                    r.cause()
                        + " (retry "
                        + r.attempt()
                        + " in "
                        + r.retryIn().toMillis()
                        + " ms)"));
        case LinkState.Failed f -> {
          boolean refused = f.cause().startsWith("login refused");
          update(old ->
              old.with(
                  FleetRow.Status.DOWN,
                  f.cause() + (refused ? "" : " (again in " + REOPEN_AFTER.toSeconds() + " s)")));
          if (!refused && !closed) {
            try {
              // Which link failed is looked up when the pause is over: a first connection can
              // fail before open() has stored the link it returned.
              reopener.schedule(
                  this::reopenIfFailed, REOPEN_AFTER.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
              // The fleet is closing; nothing is to be reopened.
            }
          }
        }
        case LinkState.Closed c -> {
          // Only the fleet (closing, or replacing a failed link) closes links; the row stays.
        }
      }
    }

    private void reopenIfFailed() {
      ServerLink failed = link;
      if (failed != null && failed.state() instanceof LinkState.Failed) {
        failed.close();
        open();
      }
    }

    private String readEngine() {
      try {
        return String.valueOf(link().connection().getAttribute(SERVER, "Engine"));
      } catch (IOException | JMException | RuntimeException e) {
        return null;
      }
    }

    private ServerLink link() throws IOException {
      ServerLink current = link;
      if (current == null) {
        throw new IOException("not open");
      }
      return current;
    }

    @Override
    public void sampled(Sample sample, Rates rates) {
      if (row.get().engine() == null) {
        // Read here, not on connecting: the link may report Connected before open() returns.
        String engine = readEngine();
        update(r -> r.withIdentity(r.version(), engine));
      }
      int alerts = readAlerts();
      double in = Double.NaN;
      double out = Double.NaN;
      double cpu = sample.processCpuLoad() < 0 ? Double.NaN : sample.processCpuLoad() * 100;
      if (rates != null) {
        in = sum(rates, "udp.rx", "tcp.rx");
        out = sum(rates, "udp.tx", "tcp.tx");
      }
      double inNow = in;
      double outNow = out;
      update(r -> r.withFigures(sample.connections(), inNow, outNow, cpu, alerts));
    }

    /**
     * Active alerts, when the server has {@code dev.ringway:type=Alerts}: its {@code ActiveCount}
     * attribute, else the size of its {@code Active} list. -1 when there is no such bean.
     */
    private int readAlerts() {
      try {
        MBeanServerConnection connection = link().connection();
        if (!connection.isRegistered(ALERTS)) {
          return -1;
        }
        List<String> attributes = new ArrayList<>();
        for (MBeanAttributeInfo info : connection.getMBeanInfo(ALERTS).getAttributes()) {
          attributes.add(info.getName());
        }
        if (attributes.contains("ActiveCount")) {
          return ((Number) connection.getAttribute(ALERTS, "ActiveCount")).intValue();
        }
        if (attributes.contains("Active")) {
          return switch (connection.getAttribute(ALERTS, "Active")) {
            case Object[] array -> array.length;
            case TabularData table -> table.size();
            case Collection<?> list -> list.size();
            case null, default -> -1;
          };
        }
        return -1;
      } catch (IOException | JMException | RuntimeException e) {
        // The next poll finds out whether the server is gone; the count is just unknown now.
        return -1;
      }
    }

    @Override
    public void event(ServerEvent event) {
      // The fleet table shows figures, not events; a server's own window lists them.
    }

    FleetOutcome apply(Map<String, String> changes) {
      try {
        ServerLink current = link();
        LiveTunables live = current.tunables();
        Map<String, String> diff = new LinkedHashMap<>();
        changes.forEach((key, text) -> {
          if (!text.strip().equals(live.valuesByKey().get(key))) {
            diff.put(key, text.strip());
          }
        });
        if (diff.isEmpty()) {
          return new FleetOutcome.Applied("nothing to change: already " + changes);
        }
        if (live.validate(diff) instanceof ConfigOutcome.Invalid invalid) {
          return new FleetOutcome.Refused(
              invalid.errors().stream().map(ConfigError::render).collect(Collectors.joining("; ")),
              false);
        }
        return switch (current.apply(diff)) {
          case ApplyOutcome.Applied applied -> new FleetOutcome.Applied(applied.message());
          case ApplyOutcome.Refused refused -> new FleetOutcome.Refused(refused.message(), true);
          case ApplyOutcome.Denied denied -> new FleetOutcome.Denied(denied.message());
        };
      } catch (IOException e) {
        return new FleetOutcome.Unreachable(e.getMessage());
      }
    }
  }

  private static double sum(Rates rates, String... paths) {
    double total = 0;
    boolean any = false;
    for (Rates.PathRates path : rates.paths()) {
      for (String wanted : paths) {
        if (path.path().equals(wanted) && !Double.isNaN(path.megabitsPerSecond())) {
          total += path.megabitsPerSecond();
          any = true;
        }
      }
    }
    return any ? total : Double.NaN;
  }

  private static ObjectName name(String properties) {
    try {
      return new ObjectName("dev.ringway:" + properties);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }
}

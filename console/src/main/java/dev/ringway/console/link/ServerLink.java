package dev.ringway.console.link;

import dev.ringway.config.Config;
import dev.ringway.config.Setting;
import dev.ringway.config.Settings;
import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.JMException;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.MXBean;
import javax.management.MalformedObjectNameException;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;

/**
 * A live link to one server over JMX. One background thread connects, polls {@code Server.Snapshot}
 * (with the CPU figures and connection count beside it) every {@code interval}, and when the server
 * goes away reconnects with growing pauses, reporting every state, sample and notification to a
 * {@link Listener}. The other methods (tunables, apply, connections) run on the caller's thread
 * against the current connection — call them off the UI thread.
 *
 * <pre>{@code
 * ServerLink link = ServerLink.open(Profile.of("127.0.0.1:27691").withLogin("op", "secret"),
 *     new ServerLink.Listener() { ... });
 * LiveTunables now = link.tunables();
 * ApplyOutcome outcome = link.apply(Map.of("io.tun.rxSlots", "128"));
 * link.close();
 * }</pre>
 */
public final class ServerLink implements AutoCloseable {
  /** How often the console samples the server. */
  public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  /**
   * How long connecting to the server, and its first answer on each new connection, may take. RMI
   * reads its handshake timeout (default a minute) once, when its transport first loads, so the
   * link sets it before any RMI is used — unless the operator set it on the command line.
   */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

  static {
    if (System.getProperty("sun.rmi.transport.tcp.handshakeTimeout") == null) {
      System.setProperty(
          "sun.rmi.transport.tcp.handshakeTimeout", String.valueOf(ANSWER_TIMEOUT.toMillis()));
    }
  }

  /**
   * The JMX client's switch that makes it refuse a connector stub without TLS sockets, so that a
   * registry entry someone replaced cannot send the password in the clear.
   */
  static final String CHECK_STUB = "jmx.remote.x.check.stub";

  static final Duration FIRST_RETRY = Duration.ofMillis(500);
  static final Duration LAST_RETRY = Duration.ofSeconds(5);

  private static final ObjectName SERVER = name("type=Server");
  private static final ObjectName RING = name("type=Ring");
  private static final ObjectName TUNABLES = name("type=Tunables");
  private static final ObjectName CONNECTIONS = name("type=Connections");
  private static final ObjectName HISTORY = name("type=History");
  private static final ObjectName ALERTS = name("type=Alerts");

  /**
   * How far back the link reads the server's history on each connection, and at most how many
   * samples: about one per pixel of a wide chart, and one per second at the default stats interval,
   * so the charts' gap rule (a pause of over three samples) does not break a thinned history apart.
   */
  static final Duration HISTORY_WINDOW = Duration.ofMinutes(10);

  static final int HISTORY_POINTS = 600;

  /**
   * What the link reports; called on the link's thread, one call at a time (only the final {@link
   * LinkState.Closed} comes on the thread that calls {@link #close()}).
   */
  public interface Listener {
    /** The link's state changed. */
    void stateChanged(LinkState state);

    /**
     * A new sample arrived; {@code rates} is null when it cannot be compared with the previous one
     * (the first sample, or the first after the server restarted).
     */
    void sampled(Sample sample, Rates rates);

    /** The server sent a notification, or the link has something to say about itself. */
    void event(ServerEvent event);
  }

  /**
   * The part of {@code type=Tunables} the console calls through an MXBean proxy, which turns the
   * map into the TabularData the server expects. Public only because JMX proxies need that.
   */
  @MXBean
  public interface TunablesOperations {
    /** See the server's {@code TunablesMXBean.apply}. */
    String apply(Map<String, String> changesByYamlKey);
  }

  private final Profile profile;
  private final String address;
  private final Listener listener;
  private final Duration interval;
  private final boolean replaysHistory;
  private final ScheduledExecutorService thread;
  private final NotificationListener notifications;

  private volatile JMXConnector connector;
  private volatile MBeanServerConnection mbeans;
  private volatile LinkState state;
  private volatile Sample last;
  private boolean everConnected;
  private int attempt;

  private ServerLink(
      Profile profile, Listener listener, Duration interval, boolean replaysHistory) {
    this.profile = profile;
    this.replaysHistory = replaysHistory;
    this.address = profile.address();
    this.listener = listener;
    this.interval = interval;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("ringway-console-link").unstarted(r));
    this.notifications = (notification, handback) -> listener.event(ServerEvent.of(notification));
  }

  /**
   * Starts linking to the server {@code profile} names, sampling once a second; on every connection
   * the listener first gets the samples the server kept in its history since the link's newest.
   */
  public static ServerLink open(Profile profile, Listener listener) {
    return open(profile, listener, POLL_INTERVAL, true);
  }

  /**
   * As {@link #open(Profile, Listener)}; {@code replaysHistory} false for a listener that shows
   * only the newest figures (the fleet table), which would otherwise pay for each old sample.
   */
  static ServerLink open(
      Profile profile, Listener listener, Duration interval, boolean replaysHistory) {
    Objects.requireNonNull(listener);
    ServerLink link = new ServerLink(profile, listener, interval, replaysHistory);
    link.report(new LinkState.Connecting(link.address));
    link.thread.execute(link::connect);
    return link;
  }

  /** The current state. */
  public LinkState state() {
    return state;
  }

  /** The newest sample, or null before the first. */
  public Sample lastSample() {
    return last;
  }

  private void report(LinkState next) {
    state = next;
    listener.stateChanged(next);
  }

  private void connect() {
    if (thread.isShutdown()) {
      return;
    }
    try {
      connectOnce();
    } catch (Error e) {
      // Nothing else would see an error on this thread; the banner must.
      report(new LinkState.Failed(address, causeOf(e)));
      throw e;
    }
  }

  private void connectOnce() {
    try {
      ServerAddress target = profile.serverAddress();
      Map<String, Object> env = new HashMap<>();
      if (profile.user() != null && !profile.user().isEmpty()) {
        env.put(
            JMXConnector.CREDENTIALS,
            new String[] {profile.user(), Objects.requireNonNullElse(profile.password(), "")});
      }
      if (profile.tls()) {
        ClientTls.trust(profile.trustStore(), profile.trustStorePassword());
        // Refuse a stub (from the registry) that would carry the login anywhere but over TLS.
        env.put(CHECK_STUB, "true");
      }
      env.put(
          "com.sun.jndi.rmi.factory.socket", new RegistrySockets(ANSWER_TIMEOUT, profile.tls()));
      JMXConnector opened = JMXConnectorFactory.connect(target.url(), env);
      MBeanServerConnection connection = opened.getMBeanServerConnection();
      String version = (String) connection.getAttribute(SERVER, "Version");
      Role role = probeRole(connection);
      connection.addNotificationListener(TUNABLES, notifications, null, null);
      boolean alerts = connection.isRegistered(ALERTS);
      if (alerts) {
        connection.addNotificationListener(ALERTS, notifications, null, null);
      }
      connector = opened;
      mbeans = connection;
      attempt = 0;
      listener.event(
          ServerEvent.link((everConnected ? "reconnected to " : "connected to ") + address));
      everConnected = true;
      report(
          new LinkState.Connected(
              address,
              version,
              role,
              role.mayChange()
                  ? "this login may apply changes"
                  : "read-only: user "
                      + profile.user()
                      + " has role monitor (the server refused"
                      + " a change that changes nothing)"));
      if (alerts) {
        reportActiveAlerts(connection);
      }
      if (replaysHistory && connection.isRegistered(HISTORY)) {
        replayHistory(connection);
      }
      thread.execute(this::poll);
    } catch (SecurityException e) {
      report(new LinkState.Failed(address, "login refused: " + e.getMessage()));
    } catch (IllegalArgumentException e) {
      report(new LinkState.Failed(address, e.getMessage()));
    } catch (IOException | JMException | RuntimeException e) {
      if (everConnected) {
        retryLater(causeOf(e));
      } else {
        report(new LinkState.Failed(address, causeOf(e)));
      }
    }
  }

  /**
   * The contract does not say which role a login has, so the link asks the server to apply an empty
   * change: it changes nothing and emits nothing for an operator, and the server's role gate
   * refuses it to a monitor. Without {@code jmx.users} there is no gate and everyone may change.
   */
  private static Role probeRole(MBeanServerConnection connection) throws IOException {
    try {
      JMX.newMXBeanProxy(connection, TUNABLES, TunablesOperations.class).apply(Map.of());
      return Role.OPERATOR;
    } catch (SecurityException denied) {
      return Role.MONITOR;
    } catch (UndeclaredThrowableException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e;
    }
  }

  /**
   * Hands the listener every sample the server kept since the link's newest one (or over the last
   * {@link #HISTORY_WINDOW}), oldest first, through the same path as live samples, so that rates
   * and the restart rule apply to them alike. The server's history starts empty at its start, so
   * every sample in it belongs to the run now answering, whose start time it does not repeat.
   */
  private void replayHistory(MBeanServerConnection connection) throws IOException, JMException {
    long startTime = (Long) connection.getAttribute(SERVER, "StartTime");
    long now = System.currentTimeMillis();
    Sample newest = last;
    long from = now - HISTORY_WINDOW.toMillis();
    if (newest != null && newest.startTime() == startTime) {
      from = Math.max(from, newest.epochMillis() + 1);
    }
    CompositeData[] history;
    try {
      history =
          (CompositeData[])
              connection.invoke(
                  HISTORY,
                  "range",
                  new Object[] {from, now, HISTORY_POINTS},
                  new String[] {"long", "long", "int"});
    } catch (JMException | RuntimeException e) {
      // A history the server cannot give is no reason to stop sampling it live.
      listener.event(ServerEvent.link("could not read the server's history: " + causeOf(e)));
      return;
    }
    for (CompositeData item : history) {
      Sample sample = Sample.ofHistory(startTime, item);
      Sample previous = last;
      if (previous != null && sample.epochMillis() <= previous.epochMillis()) {
        continue;
      }
      deliver(previous, sample);
    }
  }

  /** Tells the listener which alerts are up now, since their raising may predate the link. */
  private void reportActiveAlerts(MBeanServerConnection connection)
      throws IOException, JMException {
    for (CompositeData alert : (CompositeData[]) connection.getAttribute(ALERTS, "Active")) {
      listener.event(ServerEvent.activeAlert(alert));
    }
  }

  private void deliver(Sample previous, Sample sample) {
    last = sample;
    if (previous != null && previous.startTime() != sample.startTime()) {
      listener.event(ServerEvent.link("the server restarted: its counters start again"));
    }
    listener.sampled(
        sample, previous == null ? null : Rates.between(previous, sample).orElse(null));
  }

  private void retryLater(String cause) {
    closeConnector();
    attempt++;
    long millis =
        Math.min(LAST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(attempt - 1, 16));
    report(new LinkState.Reconnecting(address, cause, attempt, Duration.ofMillis(millis)));
    thread.schedule(this::connect, millis, TimeUnit.MILLISECONDS);
  }

  private void poll() {
    if (thread.isShutdown()) {
      return;
    }
    MBeanServerConnection connection = mbeans;
    try {
      Map<String, Object> server =
          values(
              connection.getAttributes(SERVER, new String[] {"Snapshot", "Uptime", "StartTime"}));
      Map<String, Object> ring =
          values(
              connection.getAttributes(
                  RING,
                  new String[] {"LoopThreadCpuNanos", "SqpollThreadCpuNanos", "ProcessCpuLoad"}));
      int count = (Integer) connection.getAttribute(CONNECTIONS, "Count");
      Sample sample =
          Sample.of(
              (Long) server.get("StartTime"),
              (CompositeData) server.get("Snapshot"),
              (Long) server.get("Uptime"),
              (Long) ring.get("LoopThreadCpuNanos"),
              (Long) ring.get("SqpollThreadCpuNanos"),
              (Double) ring.get("ProcessCpuLoad"),
              count);
      deliver(last, sample);
      thread.schedule(this::poll, interval.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException | JMException | RuntimeException e) {
      listener.event(ServerEvent.link("lost the server: " + causeOf(e)));
      retryLater(causeOf(e));
    }
  }

  private static Map<String, Object> values(AttributeList list) {
    Map<String, Object> values = new HashMap<>();
    for (Attribute attribute : list.asList()) {
      values.put(attribute.getName(), attribute.getValue());
    }
    return values;
  }

  MBeanServerConnection connection() throws IOException {
    MBeanServerConnection connection = mbeans;
    if (connection == null || !(state instanceof LinkState.Connected)) {
      throw new IOException("not connected: " + state.describe());
    }
    return connection;
  }

  /** Reads every live tunable's applied value. */
  public LiveTunables tunables() throws IOException {
    MBeanServerConnection connection = connection();
    String[] attributes =
        Settings.live().stream().map(Setting::jmxAttribute).toArray(String[]::new);
    try {
      return LiveTunables.ofAttributes(
          mode(), values(connection.getAttributes(TUNABLES, attributes)));
    } catch (JMException e) {
      throw new IOException("reading the tunables: " + e.getMessage(), e);
    }
  }

  /**
   * The server's mode. The contract does not publish it, so it is read from the paths: only a TCP
   * server gives its accept path slots.
   */
  Config.Mode mode() {
    Sample sample = last;
    PathSample accept = sample == null ? null : sample.path("tcp.accept");
    return accept != null && accept.slots() > 0 ? Config.Mode.TCP : Config.Mode.UDP;
  }

  /**
   * Sends {@code changesByYamlKey} as one atomic {@code Tunables.apply}; the server's answer or
   * refusal comes back verbatim.
   */
  public ApplyOutcome apply(Map<String, String> changesByYamlKey) throws IOException {
    MBeanServerConnection connection = connection();
    try {
      String answer =
          JMX.newMXBeanProxy(connection, TUNABLES, TunablesOperations.class)
              .apply(changesByYamlKey);
      return new ApplyOutcome.Applied(answer);
    } catch (SecurityException e) {
      return new ApplyOutcome.Denied(e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException e) {
      return new ApplyOutcome.Refused(e.getMessage());
    } catch (UndeclaredThrowableException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(causeOf(e), e);
    }
  }

  /** The connected clients. */
  public List<ConnectionInfo> connections() throws IOException {
    try {
      TabularData table = (TabularData) connection().invoke(CONNECTIONS, "list", null, null);
      List<ConnectionInfo> rows = new ArrayList<>();
      for (Object row : table.values()) {
        rows.add(ConnectionInfo.of((CompositeData) ((CompositeData) row).get("value")));
      }
      return rows;
    } catch (JMException e) {
      throw new IOException("listing connections: " + causeOf(e), e);
    }
  }

  /**
   * Disconnects the client with {@code session}.
   *
   * @return whether the server had such a connection
   * @throws SecurityException when this login is a monitor
   */
  public boolean disconnect(String session) throws IOException {
    try {
      return (Boolean)
          connection()
              .invoke(
                  CONNECTIONS,
                  "disconnect",
                  new Object[] {session},
                  new String[] {String.class.getName()});
    } catch (JMException e) {
      throw new IOException("disconnecting " + session + ": " + causeOf(e), e);
    }
  }

  /** Stops polling and closes the connection. */
  @Override
  public void close() {
    thread.shutdownNow();
    closeConnector();
    report(new LinkState.Closed());
  }

  private void closeConnector() {
    JMXConnector open = connector;
    connector = null;
    mbeans = null;
    if (open != null) {
      try {
        open.close();
      } catch (IOException | RuntimeException gone) {
        // The server is gone already; there is nothing left to close.
      }
    }
  }

  /** The innermost cause's class and message: what actually went wrong, in one line. */
  static String causeOf(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static ObjectName name(String properties) {
    try {
      return new ObjectName("dev.ringway:" + properties);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }
}

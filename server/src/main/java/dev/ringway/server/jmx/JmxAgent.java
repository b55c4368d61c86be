package dev.ringway.server.jmx;

import dev.ringway.config.Config;
import dev.ringway.config.ConfigDiff;
import dev.ringway.config.ConfigError;
import dev.ringway.config.ConfigOutcome;
import dev.ringway.loop.PathName;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.LinuxFiles;
import dev.ringway.uring.RingFeatures;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.remote.JMXServiceURL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's JMX presence: registers the contract's MXBeans in the platform MBean server (so
 * jconsole also sees the JVM's own) and starts the one-port connector. The server starts it once
 * its loop runs and closes it before stopping the loop.
 *
 * <pre>{@code
 * JmxAgent jmx = JmxAgent.start(config, new LiveIo(plane.loop(), plane.knobs()),
 *     new ConnectionTable() {...}, null);
 * log.info("JMX at {}", jmx.url());
 * ...
 * jmx.close();
 * }</pre>
 */
public final class JmxAgent implements AutoCloseable {
  /** The JMX domain of every Ringway MBean. */
  public static final String DOMAIN = "dev.ringway";

  private static final Logger log = LoggerFactory.getLogger(JmxAgent.class);

  private final MBeanServer mbeans;
  private final List<ObjectName> registered;
  private final JmxConnector connector;
  private final Retuner retuner;
  private final Supplier<String> reload;
  private final AlertEvaluator alerts;

  private JmxAgent(
      MBeanServer mbeans,
      List<ObjectName> registered,
      JmxConnector connector,
      Retuner retuner,
      Supplier<String> reload,
      AlertEvaluator alerts) {
    this.mbeans = mbeans;
    this.registered = registered;
    this.connector = connector;
    this.retuner = retuner;
    this.reload = reload;
    this.alerts = alerts;
  }

  /**
   * What this kernel's io_uring offers; on the nio engine, where io_uring may be forbidden, an
   * empty set (with the kernel release) when the probe fails.
   */
  private static RingFeatures ringFeatures(LiveIo io) throws StartException {
    try {
      return RingFeatures.probe();
    } catch (LinuxException e) {
      if (io.onRing()) {
        throw new StartException("cannot probe io_uring for JMX: " + e.getMessage(), e);
      }
      log.debug("io_uring probe failed on the nio engine: {}", e.getMessage());
    }
    try {
      return new RingFeatures(LinuxFiles.kernelRelease(), Set.of(), 0, Set.of(), Set.of(), false);
    } catch (LinuxException e) {
      throw new StartException("cannot read the kernel release: " + e.getMessage(), e);
    }
  }

  /** JMX could not start; the message says why and what to change. */
  public static final class StartException extends Exception {
    StartException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Registers the MBeans and starts the connector on {@code config.jmx()}.
   *
   * @param io what live changes act on; the loop must be running
   * @param connections the connection host's table
   * @param reloadSource loads the configuration file again for {@code Server.reload()}; null when
   *     the server runs without a file
   */
  public static JmxAgent start(
      Config config, LiveIo io, ConnectionTable connections, Supplier<ConfigOutcome> reloadSource)
      throws StartException {
    Config.Jmx jmx = config.jmx();
    if (!jmx.bind().isLoopback()
        && jmx.insecure()
        && (jmx.users() == null || jmx.users().isEmpty())) {
      log.warn(
          "JMX on {}:{} WITHOUT AUTHENTICATION (jmx.insecure: true): anyone who reaches this port"
              + " can read and retune the server",
          jmx.bind().host(),
          jmx.bind().port());
    }
    if (jmx.bind().isLoopback() && (jmx.users() == null || jmx.users().isEmpty())) {
      log.info(
          "JMX without logins: every local user of this host can read and retune the server"
              + " (not the JVM: the connector exposes only the Ringway and read-only platform"
              + " beans); set jmx.users to require logins on loopback too");
    }
    if (!jmx.bind().isLoopback() && jmx.users() != null && jmx.tls() == null) {
      log.warn(
          "JMX on {}:{} without jmx.tls: logins and every value travel unencrypted",
          jmx.bind().host(),
          jmx.bind().port());
    }
    if (isWildcard(jmx.bind().host()) && System.getProperty("java.rmi.server.hostname") == null) {
      log.warn(
          "JMX binds every address ({}): clients are sent this machine's own name to connect back"
              + " to; if they cannot reach it, start with -Djava.rmi.server.hostname=<address>",
          jmx.bind().host());
    }
    RingFeatures features = ringFeatures(io);
    SnapshotWindow window = new SnapshotWindow(io.loop().snapshot());
    AlertsBean alertsBean = new AlertsBean(name("type=Alerts"));
    AlertEvaluator alerts = new AlertEvaluator(alertsBean, new CpuTimes(), config.alerts());
    int capacity =
        SnapshotHistory.capacityFor(config.history().retention(), config.stats().interval());
    SnapshotHistory history = new SnapshotHistory(capacity, alerts::signal);
    alerts.watch(history);
    log.info(
        "history: {} samples ({} s at {} ms), {} bytes each, {} MiB; {} alert rules",
        capacity,
        config.history().retention().toSeconds(),
        config.stats().interval().toMillis(),
        SnapshotHistory.FIELDS * Long.BYTES,
        String.format(
            java.util.Locale.ROOT, "%.1f", SnapshotHistory.bytesFor(capacity) / 1048576.0),
        config.alerts() == null ? 0 : config.alerts().size());
    try {
      io.loop()
          .call(() -> {
            io.loop()
                .onSnapshot(snapshot -> {
                  window.add(snapshot);
                  history.add(snapshot);
                });
            return null;
          })
          .get(Retuner.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      alerts.close();
      throw new StartException("the loop did not answer: " + e, e);
    }

    MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    Retuner retuner = new Retuner(io, config);
    List<ObjectName> registered = new ArrayList<>();
    Supplier<String> reload;
    try {
      ObjectName tunablesName = name("type=Tunables");
      TunablesBean tunables = new TunablesBean(retuner, tunablesName);
      register(
          mbeans,
          registered,
          tunablesName,
          new DescribedEmitterMBean<>(
              tunables,
              TunablesMXBean.class,
              tunables.emitter(),
              "Live tunables: every write is validated whole and applied at one safe point on the"
                  + " loop, or refused with key, value and rule.",
              BeanDocs.tunables(),
              BeanDocs.tunablesOps()));
      reload = () -> reload(reloadSource, retuner, tunables, alerts);
      register(
          mbeans,
          registered,
          name("type=Server"),
          new DescribedMBean<>(
              new ServerBean(
                  version(),
                  io.loop().engine(),
                  features,
                  window,
                  () ->
                      io.loop().thread() != null && io.loop().thread().isAlive()
                          ? "running"
                          : "stopped",
                  reload),
              ServerMXBean.class,
              "The Ringway server: identity, uptime and one consistent statistics sample.",
              BeanDocs.server(),
              BeanDocs.serverOps()));
      register(
          mbeans,
          registered,
          name("type=Ring"),
          new DescribedMBean<>(
              new RingBean(window, io.loop(), new CpuTimes()),
              RingMXBean.class,
              "The io_uring ring of the loop and what the loop costs in CPU (ring figures are zero on"
                  + " the nio engine).",
              BeanDocs.ring(),
              Map.of()));
      for (PathName path : PathName.values()) {
        register(
            mbeans,
            registered,
            name("type=Path,name=" + path.key()),
            new DescribedMBean<>(
                new PathBean(window, path),
                PathMXBean.class,
                "I/O path " + path.key() + ": counters since start and rates over the last second.",
                BeanDocs.path(),
                Map.of()));
      }
      register(
          mbeans,
          registered,
          name("type=Connections"),
          new DescribedMBean<>(
              new ConnectionsBean(io.loop(), connections, config.mode().toString()),
              ConnectionsMXBean.class,
              "The clients connected to this server.",
              BeanDocs.connections(),
              BeanDocs.connectionsOps()));
      register(
          mbeans,
          registered,
          name("type=History"),
          new DescribedMBean<>(
              new HistoryBean(history, config.stats().interval()),
              HistoryMXBean.class,
              "The server's stats ticks over the last history.retention, one per stats.interval;"
                  + " a restart starts it empty.",
              BeanDocs.history(),
              BeanDocs.historyOps()));
      register(
          mbeans,
          registered,
          alertsBean.name(),
          new DescribedEmitterMBean<>(
              alertsBean,
              AlertsMXBean.class,
              alertsBean.emitter(),
              "Alert rules (alerts: in the configuration) checked at every stats tick; raises and"
                  + " clears are notified as dev.ringway.alert.raised and dev.ringway.alert.cleared.",
              BeanDocs.alerts(),
              Map.of()));
    } catch (JMException e) {
      unregister(mbeans, registered);
      alerts.close();
      throw new StartException("cannot register the MBeans: " + e.getMessage(), e);
    }
    JmxConnector connector;
    try {
      connector = JmxConnector.start(jmx, mbeans);
    } catch (JmxConnector.Refused e) {
      unregister(mbeans, registered);
      alerts.close();
      throw new StartException(e.getMessage(), e);
    } catch (IOException e) {
      unregister(mbeans, registered);
      alerts.close();
      throw new StartException(
          "cannot start JMX on " + jmx.bind().host() + ":" + jmx.bind().port() + ": " + e, e);
    }
    log.info(
        "JMX at {}{}",
        connector.url(),
        jmx.users() == null || jmx.users().isEmpty()
            ? " (no authentication)"
            : " (" + jmx.users().size() + " users" + (jmx.tls() == null ? ", no TLS)" : ", TLS)"));
    return new JmxAgent(mbeans, registered, connector, retuner, reload, alerts);
  }

  /**
   * Reads the configuration again and applies what changed live, exactly as {@code Server.reload()}
   * does (SIGHUP uses it): the result, or an exception saying why nothing changed (an invalid file
   * is also announced as {@code dev.ringway.retune.failed}).
   */
  public String reload() {
    return reload.get();
  }

  /** The address JMX clients connect to. */
  public JMXServiceURL url() {
    return connector.url();
  }

  /** The running configuration, including every live change applied since start. */
  public Config config() {
    return retuner.current();
  }

  /** Stops the connector and unregisters the MBeans. */
  @Override
  public void close() {
    try {
      connector.close();
    } catch (IOException e) {
      log.warn("stopping the JMX connector: {}", e.getMessage());
    }
    unregister(mbeans, registered);
    alerts.close();
  }

  /** {@code Server.reload()}: the live part of the reloaded file through {@code apply}. */
  static String reload(
      Supplier<ConfigOutcome> source,
      Retuner retuner,
      TunablesBean tunables,
      AlertEvaluator alerts) {
    if (source == null) {
      throw new IllegalStateException(
          "this server runs on its embedded defaults and --set values: there is no file to reload");
    }
    switch (source.get()) {
      case ConfigOutcome.Invalid invalid -> {
        String message =
            "the file is invalid, nothing changed: "
                + invalid.errors().stream()
                    .map(ConfigError::render)
                    .collect(Collectors.joining("; "));
        tunables.announceFailure(message, Map.of());
        throw new IllegalArgumentException(message);
      }
      case ConfigOutcome.Valid valid -> {
        ConfigDiff diff = ConfigDiff.between(retuner.current(), valid.config());
        String applied = diff.live().isEmpty() ? "no live change" : tunables.apply(diff.live());
        // Alert rules are the evaluator's alone, so a reload puts them in force directly.
        List<ConfigDiff.Change> restart =
            diff.restartRequired().stream().filter(c -> !c.key().equals("alerts")).toList();
        if (alerts != null && restart.size() != diff.restartRequired().size()) {
          alerts.replace(valid.config().alerts());
          applied += "; alert rules replaced";
        }
        return restart.isEmpty()
            ? applied
            : applied
                + "; needs a restart, not applied: "
                + restart.stream().map(Object::toString).collect(Collectors.joining(", "));
      }
    }
  }

  private static void register(
      MBeanServer mbeans, List<ObjectName> registered, ObjectName name, Object mbean)
      throws JMException {
    mbeans.registerMBean(mbean, name);
    registered.add(name);
  }

  private static void unregister(MBeanServer mbeans, List<ObjectName> registered) {
    for (ObjectName name : registered) {
      try {
        mbeans.unregisterMBean(name);
      } catch (JMException e) {
        log.debug("unregistering {}: {}", name, e.getMessage());
      }
    }
    registered.clear();
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  static ObjectName name(String properties) {
    try {
      return new ObjectName(DOMAIN + ":" + properties);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String version() {
    String version = JmxAgent.class.getPackage().getImplementationVersion();
    return version == null ? "(development)" : version;
  }
}

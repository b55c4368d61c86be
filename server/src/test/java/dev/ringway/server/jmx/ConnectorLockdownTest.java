package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.config.Config;
import dev.ringway.config.Endpoint;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.rmi.AccessException;
import java.rmi.Remote;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerDelegate;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client of the connector can reach, as a local user with jconsole or a script would try it:
 * the connector serves the real platform MBean server, with its DiagnosticCommand and
 * HotSpotDiagnostic beans, and the Ringway beans beside them.
 */
class ConnectorLockdownTest {
  private static final Config.JmxUser MONITOR =
      new Config.JmxUser("watcher", "look-only", null, Config.JmxRole.MONITOR);
  private static final Config.JmxUser OPERATOR =
      new Config.JmxUser("admin", "s3cret", null, Config.JmxRole.OPERATOR);
  private static final ObjectName MEMORY = name("java.lang:type=Memory");
  private static final ObjectName THREADING = name("java.lang:type=Threading");
  private static final ObjectName RUNTIME = name("java.lang:type=Runtime");
  private static final ObjectName OPERATING_SYSTEM = name("java.lang:type=OperatingSystem");
  private static final ObjectName CLASS_LOADING = name("java.lang:type=ClassLoading");
  private static final ObjectName DIAGNOSTIC_COMMAND =
      name("com.sun.management:type=DiagnosticCommand");
  private static final ObjectName HOTSPOT_DIAGNOSTIC =
      name("com.sun.management:type=HotSpotDiagnostic");

  /** A Ringway bean with an attribute to write and an operation taking a map (TabularData). */
  public interface DialMXBean {
    int getLevel();

    void setLevel(int level);

    String join(Map<String, String> entries);
  }

  static final class Dial implements DialMXBean {
    volatile int level = 1;

    @Override
    public int getLevel() {
      return level;
    }

    @Override
    public void setLevel(int level) {
      this.level = level;
    }

    @Override
    public String join(Map<String, String> entries) {
      return new java.util.TreeMap<>(entries).toString();
    }
  }

  /** Serializable, not open data; deserializing it on the server would trip the wire. */
  static final class Tripwire implements Serializable {
    static final AtomicBoolean DESERIALIZED = new AtomicBoolean();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      DESERIALIZED.set(true);
    }
  }

  private final MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
  private final ObjectName dialName = JmxAgent.name("type=Dial,name=" + UUID.randomUUID());
  private final Dial dial = new Dial();
  private JmxConnector connector;

  @BeforeEach
  void registerDial() throws Exception {
    platform.registerMBean(dial, dialName);
    Tripwire.DESERIALIZED.set(false);
  }

  @AfterEach
  void stop() throws Exception {
    if (connector != null) {
      connector.close();
    }
    platform.unregisterMBean(dialName);
  }

  private JmxConnector start(List<Config.JmxUser> users) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    connector =
        JmxConnector.start(
            new Config.Jmx(new Endpoint("127.0.0.1", port), users, null, false), platform);
    return connector;
  }

  private JMXConnector connect(String user, String password) throws IOException {
    Map<String, Object> env = new HashMap<>();
    if (user != null) {
      env.put(JMXConnector.CREDENTIALS, new String[] {user, password});
    }
    return JMXConnectorFactory.connect(connector.url(), env);
  }

  @Test
  void jconsoleStyleReadsOfThePlatformBeansWorkWithoutCredentials() throws Exception {
    start(null);
    try (JMXConnector client = connect(null, null)) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();

      assertThat(((CompositeData) jmx.getAttribute(MEMORY, "HeapMemoryUsage")).get("used"))
          .isInstanceOf(Long.class);
      AttributeList threads =
          jmx.getAttributes(THREADING, new String[] {"ThreadCount", "PeakThreadCount"});
      assertThat(threads.asList()).hasSize(2);
      long[] ids = (long[]) jmx.getAttribute(THREADING, "AllThreadIds");
      Object[] infos =
          (Object[])
              jmx.invoke(
                  THREADING,
                  "getThreadInfo",
                  new Object[] {ids, 5},
                  new String[] {long[].class.getName(), int.class.getName()});
      assertThat(infos).isNotEmpty();
      assertThat(jmx.getAttribute(RUNTIME, "VmName")).isInstanceOf(String.class);
      assertThat(jmx.getAttribute(RUNTIME, "Uptime")).isInstanceOf(Long.class);
      assertThat(jmx.getAttribute(OPERATING_SYSTEM, "AvailableProcessors"))
          .isInstanceOf(Integer.class);
      assertThat(jmx.getAttribute(OPERATING_SYSTEM, "ProcessCpuLoad")).isInstanceOf(Double.class);
      assertThat(jmx.getAttribute(CLASS_LOADING, "LoadedClassCount")).isInstanceOf(Integer.class);
      assertThat(jmx.queryNames(name("java.nio:type=BufferPool,*"), null)).isNotEmpty();
      assertThat(jmx.getMBeanInfo(MEMORY).getAttributes()).isNotEmpty();
      assertThat(jmx.isRegistered(MEMORY)).isTrue();
      assertThat(jmx.getAttribute(MBeanServerDelegate.DELEGATE_NAME, "MBeanServerId")).isNotNull();
      NotificationListener ignore = (Notification n, Object handback) -> {};
      jmx.addNotificationListener(MEMORY, ignore, null, null);
      jmx.removeNotificationListener(MEMORY, ignore);
      assertThat(jmx.getAttribute(dialName, "Level")).isEqualTo(1);
    }
  }

  @Test
  void queriesListOnlyTheExposedBeans() throws Exception {
    start(null);
    try (JMXConnector client = connect(null, null)) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();

      assertThat(jmx.queryNames(null, null))
          .contains(MEMORY, THREADING, dialName)
          .doesNotContain(DIAGNOSTIC_COMMAND, HOTSPOT_DIAGNOSTIC)
          .allMatch(ConnectorGate::exposed);
      assertThat(jmx.getDomains()).doesNotContain("com.sun.management", "jdk.management.jfr");
      assertThat(jmx.getMBeanCount()).isEqualTo(jmx.queryNames(null, null).size());
      assertThat(jmx.isRegistered(HOTSPOT_DIAGNOSTIC)).isFalse();
    }
  }

  @Test
  void diagnosticCommandIsRefused() throws Exception {
    start(null);
    try (JMXConnector client = connect(null, null)) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();

      assertThatThrownBy(() ->
              jmx.invoke(
                  DIAGNOSTIC_COMMAND,
                  "jvmtiAgentLoad",
                  new Object[] {new String[] {"/tmp/agent.so"}},
                  new String[] {String[].class.getName()}))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("access denied")
          .hasMessageContaining("exposes only the dev.ringway beans");
      assertThatThrownBy(() -> jmx.getMBeanInfo(DIAGNOSTIC_COMMAND))
          .isInstanceOf(SecurityException.class);
    }
  }

  @Test
  void hotSpotDiagnosticCannotDumpTheHeapOrSetOptions(@TempDir Path dir) throws Exception {
    start(null);
    Path dump = dir.resolve("heap.hprof");
    try (JMXConnector client = connect(null, null)) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();

      assertThatThrownBy(() ->
              jmx.invoke(
                  HOTSPOT_DIAGNOSTIC,
                  "dumpHeap",
                  new Object[] {dump.toString(), true},
                  new String[] {String.class.getName(), boolean.class.getName()}))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("access denied");
      assertThatThrownBy(() ->
              jmx.invoke(
                  HOTSPOT_DIAGNOSTIC,
                  "setVMOption",
                  new Object[] {"HeapDumpOnOutOfMemoryError", "true"},
                  new String[] {String.class.getName(), String.class.getName()}))
          .isInstanceOf(SecurityException.class);
    }
    assertThat(dump).doesNotExist();
  }

  @Test
  void beansCannotBeCreatedOrUnregistered() throws Exception {
    start(null);
    ObjectName second = name("dev.ringway:type=Connector,name=open");
    try (JMXConnector client = connect(null, null)) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();

      assertThatThrownBy(() -> jmx.createMBean("javax.management.timer.Timer", second))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("createMBean is not allowed");
      assertThatThrownBy(() -> jmx.unregisterMBean(dialName))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("unregisterMBean is not allowed");
    }
    assertThat(platform.isRegistered(second)).isFalse();
    assertThat(platform.isRegistered(dialName)).isTrue();
  }

  @Test
  void platformBeansAreReadOnly() throws Exception {
    start(null);
    try (JMXConnector client = connect(null, null)) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();

      assertThatThrownBy(() -> jmx.setAttribute(CLASS_LOADING, new Attribute("Verbose", true)))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("setAttribute on java.lang:type=ClassLoading is not allowed");
      assertThatThrownBy(() -> jmx.invoke(THREADING, "resetPeakThreadCount", null, null))
          .isInstanceOf(SecurityException.class);
    }
    assertThat(ManagementFactory.getClassLoadingMXBean().isVerbose()).isFalse();
  }

  @Test
  void gcNeedsTheOperatorRole() throws Exception {
    start(List.of(MONITOR, OPERATOR));
    try (JMXConnector monitor = connect("watcher", "look-only")) {
      assertThatThrownBy(() -> monitor.getMBeanServerConnection().invoke(MEMORY, "gc", null, null))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("needs role operator");
    }
    try (JMXConnector operator = connect("admin", "s3cret")) {
      operator.getMBeanServerConnection().invoke(MEMORY, "gc", null, null);
    }
  }

  @Test
  void withoutUsersTheRingwayBeansCanBeRetunedWithOpenData() throws Exception {
    start(null);
    try (JMXConnector client = connect(null, null)) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();

      jmx.setAttribute(dialName, new Attribute("Level", 7));
      // The MXBean proxy sends the map as TabularData: the serial filter must let it through.
      String joined =
          JMX.newMXBeanProxy(jmx, dialName, DialMXBean.class).join(Map.of("b", "2", "a", "1"));
      assertThat(joined).isEqualTo("{a=1, b=2}");
    }
    assertThat(dial.level).isEqualTo(7);
  }

  @Test
  void aMonitorCannotMakeTheServerDeserializeANonOpenType() throws Exception {
    start(List.of(MONITOR, OPERATOR));
    try (JMXConnector client = connect("watcher", "look-only")) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();

      assertThatThrownBy(() -> jmx.setAttribute(dialName, new Attribute("Level", new Tripwire())))
          .hasStackTraceContaining("REJECTED");
      assertThatThrownBy(() ->
              jmx.invoke(
                  dialName,
                  "join",
                  new Object[] {new Tripwire()},
                  new String[] {Tripwire.class.getName()}))
          .hasStackTraceContaining("REJECTED");
    }
    assertThat(Tripwire.DESERIALIZED).isFalse();
    assertThat(dial.level).isEqualTo(1);
  }

  @Test
  void anOperatorCannotPassAPlainCollectionWhereOpenDataBelongs() throws Exception {
    start(List.of(MONITOR, OPERATOR));
    try (JMXConnector client = connect("admin", "s3cret")) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();
      HashMap<String, String> map = new HashMap<>(Map.of("a", "1"));

      assertThatThrownBy(() ->
              jmx.invoke(dialName, "join", new Object[] {map}, new String[] {Map.class.getName()}))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("java.util.HashMap, not open data");
      assertThatThrownBy(() -> jmx.setAttribute(dialName, new Attribute("Level", map)))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("not open data");
    }
    assertThat(dial.level).isEqualTo(1);
  }

  @Test
  void theRegistryCannotBeChangedByALocalClient() throws Exception {
    start(null);
    Registry registry = LocateRegistry.getRegistry("127.0.0.1", connector.url().getPort());
    Remote stub = registry.lookup("jmxrmi");

    assertThatThrownBy(() -> registry.unbind("jmxrmi"))
        .hasRootCauseInstanceOf(AccessException.class)
        .hasRootCauseMessage("Registry.unbind disallowed; origin unknown");
    assertThatThrownBy(() -> registry.rebind("jmxrmi", stub))
        .hasRootCauseInstanceOf(AccessException.class)
        .hasRootCauseMessage("Registry.rebind disallowed; origin unknown");
    assertThatThrownBy(() -> registry.bind("jmxrmi2", stub))
        .hasRootCauseInstanceOf(AccessException.class)
        .hasRootCauseMessage("Registry.bind disallowed; origin unknown");

    assertThat(registry.list()).containsExactly("jmxrmi");
    try (JMXConnector client = connect(null, null)) {
      assertThat(client.getMBeanServerConnection().getAttribute(dialName, "Level")).isEqualTo(1);
    }
  }

  @Test
  void aThousandWrongPasswordsAreSlowedAndNeverLetIn() throws Exception {
    start(List.of(MONITOR, OPERATOR));
    int checked = 0;
    int refused = 0;
    int admitted = 0;
    for (int i = 0; i < 1000; i++) {
      try (JMXConnector ignored = connect("admin", "guess-" + i)) {
        admitted++;
      } catch (SecurityException e) {
        if (e.getMessage().contains("too many failed logins")) {
          refused++;
        } else if (e.getMessage().contains("wrong user name or password")) {
          checked++;
        }
      }
    }

    assertThat(admitted).isZero();
    assertThat(checked).as("guesses whose password was checked").isEqualTo(10);
    assertThat(refused).isEqualTo(990);
    assertThat(connector.logins().limiter().refused()).isEqualTo(990);
    assertThatThrownBy(() -> connect("admin", "s3cret"))
        .isInstanceOf(SecurityException.class)
        .hasMessageContaining("too many failed logins from this address");
  }

  @Test
  void aValidLoginBetweenGuessesDoesNotResetTheLimiter() throws Exception {
    start(List.of(MONITOR, OPERATOR));
    for (int i = 0; i < 9; i++) {
      assertThatThrownBy(() -> connect("admin", "guess"))
          .hasMessageContaining("wrong user name or password");
    }
    try (JMXConnector valid = connect("watcher", "look-only")) {
      assertThat(valid.getMBeanServerConnection().getAttribute(dialName, "Level")).isEqualTo(1);
    }
    assertThatThrownBy(() -> connect("admin", "guess"))
        .hasMessageContaining("wrong user name or password");

    assertThatThrownBy(() -> connect("watcher", "look-only"))
        .isInstanceOf(SecurityException.class)
        .hasMessageContaining("too many failed logins");
  }

  @Test
  void anUnknownUserCountsAgainstTheSourceLikeAWrongPassword() throws Exception {
    start(List.of(MONITOR, OPERATOR));
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> connect("nobody-" + UUID.randomUUID(), "guess"))
          .hasMessageContaining("wrong user name or password");
    }

    assertThatThrownBy(() -> connect("admin", "s3cret"))
        .hasMessageContaining("too many failed logins from this address");
  }

  private static ObjectName name(String text) {
    try {
      return new ObjectName(text);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }
}

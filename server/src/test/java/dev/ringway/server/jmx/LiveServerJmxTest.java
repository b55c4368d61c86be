package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.loop.PathName;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.NetnsTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.management.Attribute;
import javax.management.AttributeChangeNotification;
import javax.management.AttributeList;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JMX contract against a real server (one subprocess for the class): jmxterm and {@code
 * JMXConnectorFactory} read and write the contract's names, roles and logins hold, bad writes
 * change nothing, every tunable changes live and is announced, and the Prometheus exporter shows
 * the paths.
 */
@NetnsTest
class LiveServerJmxTest {
  private static final ObjectName TUNABLES = JmxAgent.name("type=Tunables");
  private static final ObjectName RING = JmxAgent.name("type=Ring");
  private static final ObjectName SERVER = JmxAgent.name("type=Server");
  private static final ObjectName CONNECTIONS = JmxAgent.name("type=Connections");
  private static final String[] TUNABLE_ATTRIBUTES = {
    "RingEntries",
    "SqpollIdleMillis",
    "TunRxSlots",
    "TunBlocking",
    "UdpRxSlots",
    "TxSlots",
    "UdpSocketBufferBytes",
    "TcpSocketBufferBytes",
    "TcpMaxConnections",
    "LogLevel"
  };
  private static final Duration SOON = Duration.ofSeconds(10);

  @TempDir static Path dir;
  private static LiveServer server;

  private JMXConnector operator;
  private MBeanServerConnection jmx;
  private final List<Notification> notifications = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = LiveServer.start(dir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void connectAsOperator() throws Exception {
    operator = server.connect(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);
    jmx = operator.getMBeanServerConnection();
    jmx.addNotificationListener(TUNABLES, (n, handback) -> notifications.add(n), null, null);
  }

  @AfterEach
  void disconnect() throws Exception {
    operator.close();
  }

  private static ObjectName path(PathName path) {
    return JmxAgent.name("type=Path,name=" + path.key());
  }

  private Map<String, Object> tunables() throws Exception {
    Map<String, Object> values = new LinkedHashMap<>();
    AttributeList list = jmx.getAttributes(TUNABLES, TUNABLE_ATTRIBUTES);
    for (Attribute attribute : list.asList()) {
      values.put(attribute.getName(), attribute.getValue());
    }
    return values;
  }

  /** apply() through an MXBean proxy, which maps the Map to TabularData as any client must. */
  private String apply(Map<String, String> changes) {
    return JMX.newMXBeanProxy(jmx, TUNABLES, TunablesMXBean.class).apply(changes);
  }

  private Notification awaitNotification(String what, Predicate<Notification> matching) {
    return Await.value(
        what, SOON, () -> notifications.stream().filter(matching).findFirst().orElse(null));
  }

  private AttributeChangeNotification awaitChange(String attribute, Object newValue) {
    return (AttributeChangeNotification)
        awaitNotification(
            "a notification that " + attribute + " became " + newValue,
            n ->
                n instanceof AttributeChangeNotification change
                    && change.getAttributeName().equals(attribute)
                    && change.getNewValue().equals(newValue));
  }

  private void awaitAttribute(ObjectName bean, String attribute, Object expected) {
    Await.until(
        bean + " " + attribute + " = " + expected,
        SOON,
        () -> {
          try {
            return expected.equals(jmx.getAttribute(bean, attribute));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void jmxtermReadsEveryMBean() throws Exception {
    List<String> commands = new ArrayList<>();
    List<String> beans = new ArrayList<>(List.of("type=Server", "type=Tunables", "type=Ring"));
    for (PathName path : PathName.values()) {
      beans.add("type=Path,name=" + path.key());
    }
    beans.add("type=Connections");
    for (String bean : beans) {
      commands.add("get -b dev.ringway:" + bean + " *");
    }

    String output =
        server.jmxterm(
            LiveServer.MONITOR, LiveServer.MONITOR_PASSWORD, commands.toArray(String[]::new));

    assertThat(output).doesNotContain("Exception");
    for (String bean : beans) {
      assertThat(output).contains("#mbean = dev.ringway:" + bean + ":");
    }
    assertThat(output)
        .contains("Snapshot = {", "KernelRelease = ", "SqpollThreadCpuNanos = ", "Count = 0;");
    for (String attribute : TUNABLE_ATTRIBUTES) {
      assertThat(output).contains(attribute + " = ");
    }
    for (String attribute : List.of("Bytes", "Packets", "Eagain", "InFlight", "BytesPerSecond")) {
      assertThat(output.split("\n" + attribute + " = ", -1)).hasSize(PathName.values().length + 1);
    }
  }

  @Test
  void jmxtermWritesATunableAndTheLoopFollows() throws Exception {
    int slots = (Integer) jmx.getAttribute(TUNABLES, "TunRxSlots") == 40 ? 41 : 40;

    String output =
        server.jmxterm(
            LiveServer.OPERATOR,
            LiveServer.OPERATOR_PASSWORD,
            "set -b dev.ringway:type=Tunables TunRxSlots " + slots,
            "get -b dev.ringway:type=Tunables TunRxSlots");

    assertThat(output).contains("TunRxSlots = " + slots + ";").doesNotContain("Exception");
    awaitAttribute(path(PathName.TUN_RX), "Slots", slots);
  }

  @Test
  void aMonitorCannotWrite() throws Exception {
    Map<String, Object> before = tunables();
    int other = (Integer) before.get("UdpRxSlots") + 1;

    String output =
        server.jmxterm(
            LiveServer.MONITOR,
            LiveServer.MONITOR_PASSWORD,
            "set -b dev.ringway:type=Tunables UdpRxSlots " + other);

    assertThat(output).contains("access denied").contains("needs role operator");
    assertThat(tunables()).isEqualTo(before);
    try (JMXConnector monitor = server.connect(LiveServer.MONITOR, LiveServer.MONITOR_PASSWORD)) {
      MBeanServerConnection connection = monitor.getMBeanServerConnection();
      TunablesMXBean tunables = JMX.newMXBeanProxy(connection, TUNABLES, TunablesMXBean.class);
      assertThatThrownBy(() -> tunables.apply(Map.of("io.udp.rxSlots", String.valueOf(other))))
          .isInstanceOf(SecurityException.class);
      assertThat(connection.invoke(CONNECTIONS, "list", null, null))
          .isInstanceOf(TabularData.class);
    }
    assertThat(tunables()).isEqualTo(before);
  }

  @Test
  void wrongPasswordsAndMissingCredentialsAreRefused() throws Exception {
    assertThatThrownBy(() -> server.connect(LiveServer.OPERATOR, "guess"))
        .isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> server.connect(LiveServer.MONITOR, LiveServer.OPERATOR_PASSWORD))
        .isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> server.connect(null, null)).isInstanceOf(SecurityException.class);

    String output =
        server.jmxterm(LiveServer.OPERATOR, "guess", "get -b dev.ringway:type=Server Version");
    assertThat(output).contains("SecurityException").doesNotContain("Version = ");
  }

  @Test
  void badWritesNameKeyValueAndRuleAndChangeNothing() throws Exception {
    Map<String, Object> before = tunables();
    int entries = (Integer) before.get("RingEntries");
    Map<Map<String, String>, List<String>> cases = new LinkedHashMap<>();
    cases.put(
        Map.of("io.tun.rxSlots", "0"),
        List.of("io.tun.rxSlots", "value 0", "must be between 1 and 4096"));
    cases.put(
        Map.of("io.tx.slots", String.valueOf(2 * entries)),
        List.of("io.tx.slots", String.valueOf(2 * entries), "slot budget exceeded"));
    cases.put(
        Map.of("io.tun.rxSlot", "8"),
        List.of("io.tun.rxSlot", "8", "unknown key", "did you mean `io.tun.rxSlots`?"));
    cases.put(Map.of("io.tun.blocking", "maybe"), List.of("io.tun.blocking", "maybe"));
    cases.put(
        Map.of("io.tun.rxSlots", "32", "io.udp.rxSlots", "-1"),
        List.of("io.udp.rxSlots", "-1", "out of range"));

    for (var bad : cases.entrySet()) {
      notifications.clear();
      assertThatThrownBy(() -> apply(bad.getKey()))
          .as("apply(%s)", bad.getKey())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("refused, nothing changed: ")
          .hasMessageContainingAll(bad.getValue().toArray(String[]::new));
      Notification failed =
          awaitNotification(
              "a retune.failed notification for " + bad.getKey(),
              n -> n.getType().equals("dev.ringway.retune.failed"));
      assertThat(failed.getMessage()).contains(bad.getValue().getFirst());
      assertThat(tunables()).as("after apply(%s)", bad.getKey()).isEqualTo(before);
    }
    assertThatThrownBy(() -> jmx.setAttribute(TUNABLES, new Attribute("TunRxSlots", "many")))
        .isInstanceOf(javax.management.InvalidAttributeValueException.class);
    assertThat(tunables()).isEqualTo(before);
  }

  @Test
  void everyTunableChangesLiveIsReflectedAndAnnounced() throws Exception {
    Map<String, Object> before = tunables();
    long generation = (Long) jmx.getAttribute(RING, "Generation");
    int migrations = 0;

    // Ring first: grow it (in place where the kernel can), then SQPOLL on, which migrates.
    int entries = (Integer) before.get("RingEntries") * 2;
    migrations += count(apply(Map.of("io.ring.entries", String.valueOf(entries))), "migrated");
    awaitChange("RingEntries", entries);
    awaitAttribute(RING, "Entries", entries);
    migrations += count(apply(Map.of("io.ring.sqpollIdle", "20ms")), "migrated");
    awaitChange("SqpollIdleMillis", 20L);
    awaitAttribute(RING, "SqpollIdleMillis", 20);

    Map<String, Object> changes = new LinkedHashMap<>();
    changes.put("TunRxSlots", (Integer) before.get("TunRxSlots") - 8);
    changes.put("TunBlocking", !(Boolean) before.get("TunBlocking"));
    changes.put("UdpRxSlots", (Integer) before.get("UdpRxSlots") + 8);
    changes.put("TxSlots", (Integer) before.get("TxSlots") - 100);
    changes.put("UdpSocketBufferBytes", 4 << 20);
    changes.put("TcpSocketBufferBytes", (Integer) before.get("TcpSocketBufferBytes") / 2);
    changes.put("TcpMaxConnections", (Integer) before.get("TcpMaxConnections") - 1);
    changes.put("LogLevel", before.get("LogLevel").equals("debug") ? "info" : "debug");
    for (var change : changes.entrySet()) {
      jmx.setAttribute(TUNABLES, new Attribute(change.getKey(), change.getValue()));
      AttributeChangeNotification announced = awaitChange(change.getKey(), change.getValue());
      assertThat(announced.getOldValue()).isEqualTo(before.get(change.getKey()));
      assertThat(jmx.getAttribute(TUNABLES, change.getKey())).isEqualTo(change.getValue());
    }
    awaitAttribute(path(PathName.TUN_RX), "Slots", changes.get("TunRxSlots"));
    awaitAttribute(path(PathName.UDP_RX), "Slots", changes.get("UdpRxSlots"));
    awaitAttribute(path(PathName.UDP_TX), "Slots", changes.get("TxSlots"));

    // SQPOLL off (a migration) and the ring back to its size, in one change.
    String back =
        apply(
            Map.of(
                "io.ring.sqpollIdle",
                "0ms",
                "io.ring.entries",
                before.get("RingEntries").toString()));
    assertThat(back).contains("io.ring.sqpollIdle 20ms → 0ms").contains(" ms (");
    migrations += count(back, "migrated");
    awaitAttribute(RING, "SqpollIdleMillis", 0);
    awaitAttribute(RING, "Entries", before.get("RingEntries"));
    assertThat(migrations).isGreaterThanOrEqualTo(2);
    awaitAttribute(RING, "Generation", generation + migrations);
    assertThat(server.log()).contains("retune: applied io.ring.sqpollIdle 0ms → 20ms");
  }

  private static int count(String text, String word) {
    return text.split(word, -1).length - 1;
  }

  @Test
  void theSnapshotAndConnectionsAreReadable() throws Exception {
    CompositeData snapshot = (CompositeData) jmx.getAttribute(SERVER, "Snapshot");
    CompositeData[] paths = (CompositeData[]) snapshot.get("paths");
    TabularData connections = (TabularData) jmx.invoke(CONNECTIONS, "list", null, null);

    assertThat(paths)
        .extracting(path -> path.get("path"))
        .containsExactly("tun.rx", "tun.tx", "udp.rx", "udp.tx", "tcp.accept", "tcp.rx", "tcp.tx");
    assertThat(((CompositeData) snapshot.get("ring")).get("entries")).isInstanceOf(Integer.class);
    assertThat((Long) snapshot.get("epochMillis")).isPositive();
    assertThat(connections.isEmpty()).isTrue();
    assertThat(jmx.getAttribute(CONNECTIONS, "Count")).isEqualTo(0);
    assertThat(jmx.getAttribute(SERVER, "State")).isEqualTo("running");
  }

  @Test
  void thePrometheusExporterShowsEveryPath() throws Exception {
    HttpResponse<String> scrape =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://"
                                + server.address
                                + ":"
                                + LiveServer.METRICS_PORT
                                + "/metrics"))
                    .timeout(SOON)
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(scrape.statusCode()).isEqualTo(200);
    for (PathName path : PathName.values()) {
      assertThat(scrape.body())
          .contains("ringway_path_bytes_total{path=\"" + path.key() + "\"}")
          .contains("ringway_path_eagain_total{path=\"" + path.key() + "\"}")
          .contains("ringway_path_in_flight{path=\"" + path.key() + "\"}");
    }
    assertThat(scrape.body())
        .contains("ringway_ring_migrations_total ", "ringway_sqpoll_thread_cpu_seconds_total ")
        .contains("ringway_tunable_tun_rx_slots ", "ringway_connections ");
  }
}

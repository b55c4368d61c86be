package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.config.Config;
import dev.ringway.loop.PathName;
import dev.ringway.uring.RingFeatures;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.Descriptor;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.StandardMBean;
import javax.management.openmbean.OpenType;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's "JMX contract" as the MXBeans expose it: the attribute and operation names, open
 * types only, and a description and unit on every attribute (what jconsole and VisualVM show).
 */
class ContractTest {
  private static final SnapshotWindow WINDOW = new SnapshotWindow(Snapshots.at(0, 0, 0, 0));

  private static final Map<String, StandardMBean> BEANS =
      Map.of(
          "Server",
          new DescribedMBean<>(
              new ServerBean(
                  "test",
                  "uring",
                  new RingFeatures("6.18", Set.of(), 0, Set.of(), Set.of(), true),
                  WINDOW,
                  () -> "running",
                  () -> "reloaded"),
              ServerMXBean.class,
              "server",
              BeanDocs.server(),
              BeanDocs.serverOps()),
          "Tunables",
          new DescribedEmitterMBean<>(
              new TunablesBean(
                  new Retuner(null, Config.defaults()), JmxAgent.name("type=Tunables")),
              TunablesMXBean.class,
              new javax.management.NotificationBroadcasterSupport(TunablesBean.NOTIFICATIONS),
              "tunables",
              BeanDocs.tunables(),
              BeanDocs.tunablesOps()),
          "Ring",
          new DescribedMBean<>(
              new RingBean(WINDOW, null, new CpuTimes()),
              RingMXBean.class,
              "ring",
              BeanDocs.ring(),
              Map.of()),
          "Path",
          new DescribedMBean<>(
              new PathBean(WINDOW, PathName.UDP_RX),
              PathMXBean.class,
              "path",
              BeanDocs.path(),
              Map.of()),
          "Connections",
          new DescribedMBean<>(
              new ConnectionsBean(null, null, "udp"),
              ConnectionsMXBean.class,
              "connections",
              BeanDocs.connections(),
              BeanDocs.connectionsOps()),
          "History",
          new DescribedMBean<>(
              new HistoryBean(new SnapshotHistory(10, () -> {}), java.time.Duration.ofSeconds(1)),
              HistoryMXBean.class,
              "history",
              BeanDocs.history(),
              BeanDocs.historyOps()),
          "Alerts",
          new DescribedEmitterMBean<>(
              new AlertsBean(JmxAgent.name("type=Alerts")),
              AlertsMXBean.class,
              new javax.management.NotificationBroadcasterSupport(AlertsBean.NOTIFICATIONS),
              "alerts",
              BeanDocs.alerts(),
              Map.of()));

  private static List<String> attributes(String bean) {
    return Arrays.stream(BEANS.get(bean).getMBeanInfo().getAttributes())
        .map(MBeanAttributeInfo::getName)
        .toList();
  }

  private static List<String> operations(String bean) {
    return Arrays.stream(BEANS.get(bean).getMBeanInfo().getOperations())
        .map(MBeanOperationInfo::getName)
        .toList();
  }

  @Test
  void serverHasTheContractsAttributesAndReload() {
    assertThat(attributes("Server"))
        .containsExactlyInAnyOrder(
            "Version",
            "Engine",
            "KernelRelease",
            "RingFeatures",
            "StartTime",
            "Uptime",
            "State",
            "Snapshot");
    assertThat(operations("Server")).containsExactly("reload");
  }

  @Test
  void tunablesHasOneWritableAttributePerLiveSettingAndApply() {
    MBeanInfo info = BEANS.get("Tunables").getMBeanInfo();

    assertThat(Arrays.stream(info.getAttributes()).filter(MBeanAttributeInfo::isWritable))
        .extracting(MBeanAttributeInfo::getName)
        .containsExactlyInAnyOrder(
            "RingEntries",
            "SqpollIdleMillis",
            "TunRxSlots",
            "TunBlocking",
            "UdpRxSlots",
            "TxSlots",
            "UdpSocketBufferBytes",
            "TcpSocketBufferBytes",
            "TcpMaxConnections",
            "LogLevel");
    assertThat(info.getAttributes()).allMatch(MBeanAttributeInfo::isWritable);
    assertThat(operations("Tunables")).containsExactly("apply");
    assertThat(info.getNotifications())
        .flatExtracting(n -> List.of(n.getNotifTypes()))
        .containsExactlyInAnyOrder("jmx.attribute.change", "dev.ringway.retune.failed");
  }

  @Test
  void ringHasTheContractsAttributes() {
    assertThat(attributes("Ring"))
        .containsExactlyInAnyOrder(
            "Entries",
            "CqEntries",
            "SqpollIdleMillis",
            "Generation",
            "Enters",
            "CqesPerEnter",
            "CqOverflows",
            "SqFull",
            "MaxLoopIterationNanos",
            "LoopThreadCpuNanos",
            "SqpollThreadCpuNanos",
            "ProcessCpuLoad");
  }

  @Test
  void aPathHasTheContractsCountersAndRates() {
    assertThat(attributes("Path"))
        .containsExactlyInAnyOrder(
            "Slots",
            "InFlight",
            "MaxInFlight",
            "Submitted",
            "Completed",
            "Bytes",
            "Packets",
            "Eagain",
            "Canceled",
            "Errors",
            "SlotExhausted",
            "BytesPerSecond",
            "PacketsPerSecond",
            "EagainPerSecond");
  }

  @Test
  void connectionsHasCountOnlineListAndDisconnect() {
    assertThat(attributes("Connections")).containsExactlyInAnyOrder("Count", "Online");
    assertThat(operations("Connections")).containsExactlyInAnyOrder("list", "disconnect");
    MBeanOperationInfo list =
        Arrays.stream(BEANS.get("Connections").getMBeanInfo().getOperations())
            .filter(op -> op.getName().equals("list"))
            .findFirst()
            .orElseThrow();
    assertThat(list.getReturnType()).isEqualTo("javax.management.openmbean.TabularData");
    assertThat(list.getImpact()).isEqualTo(MBeanOperationInfo.INFO);
  }

  @Test
  void historyServesARangeOfCompositesAndAlertsNotifyRaisedAndCleared() {
    assertThat(attributes("History"))
        .containsExactlyInAnyOrder(
            "Oldest", "Newest", "Capacity", "Size", "IntervalMillis", "MemoryBytes");
    MBeanOperationInfo range = BEANS.get("History").getMBeanInfo().getOperations()[0];
    assertThat(range.getName()).isEqualTo("range");
    assertThat(range.getImpact()).isEqualTo(MBeanOperationInfo.INFO);
    assertThat(range.getReturnType()).isEqualTo("[Ljavax.management.openmbean.CompositeData;");
    assertThat(attributes("Alerts")).containsExactlyInAnyOrder("Active", "History", "Rules");
    assertThat(operations("Alerts")).isEmpty();
    assertThat(BEANS.get("Alerts").getMBeanInfo().getNotifications())
        .flatExtracting(n -> List.of(n.getNotifTypes()))
        .containsExactlyInAnyOrder("dev.ringway.alert.raised", "dev.ringway.alert.cleared");
  }

  @Test
  void everyAttributeHasADescriptionAUnitAndAnOpenType() {
    BEANS.forEach((bean, mbean) -> {
      for (MBeanAttributeInfo attribute : mbean.getMBeanInfo().getAttributes()) {
        Descriptor descriptor = attribute.getDescriptor();
        String what = bean + "." + attribute.getName();
        assertThat(attribute.getDescription()).as(what).isNotBlank();
        assertThat((String) descriptor.getFieldValue("units")).as(what).isNotBlank();
        assertThat(descriptor.getFieldValue("openType")).as(what).isInstanceOf(OpenType.class);
      }
      for (MBeanOperationInfo operation : mbean.getMBeanInfo().getOperations()) {
        assertThat(operation.getDescription()).as(bean + "." + operation.getName()).isNotBlank();
      }
    });
  }

  @Test
  void theSnapshotIsOneCompositeOfRingAndPaths() {
    MBeanAttributeInfo snapshot =
        Arrays.stream(BEANS.get("Server").getMBeanInfo().getAttributes())
            .filter(a -> a.getName().equals("Snapshot"))
            .findFirst()
            .orElseThrow();

    var type =
        (javax.management.openmbean.CompositeType)
            snapshot.getDescriptor().getFieldValue("openType");
    assertThat(type.keySet())
        .containsExactlyInAnyOrder("monotonicNanos", "epochMillis", "ring", "paths");
  }
}

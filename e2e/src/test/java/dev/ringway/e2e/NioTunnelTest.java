package dev.ringway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.server.jmx.PathMXBean;
import dev.ringway.server.jmx.ServerMXBean;
import dev.ringway.server.jmx.TunablesMXBean;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.Commands;
import dev.ringway.testkit.NetnsTest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The server on the nio engine ({@code io.engine: nio}) and the client on io_uring, in UDP mode
 * through real TUN devices in namespaces: the same protocol code on a selector, its counters and
 * its JMX.
 */
@NetnsTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NioTunnelTest {
  private static final long BULK = 100L * 1024 * 1024;

  private Topology topology;
  private Process server;
  private String jmxAddress;
  private JMXConnector jmx;

  @BeforeAll
  void start() throws Exception {
    topology = Topology.create(1);
    jmxAddress = topology.linkHost();
    server =
        topology.startServer(
            "io.engine=nio",
            "jmx.bind=" + jmxAddress + ":27691",
            "jmx.insecure=true",
            "stats.interval=250ms");
    topology.awaitOnline(0, topology.startClient(0));
    jmx =
        JMXConnectorFactory.connect(
            new JMXServiceURL(
                "service:jmx:rmi://%s:27691/jndi/rmi://%s:27691/jmxrmi"
                    .formatted(jmxAddress, jmxAddress)));
  }

  @AfterAll
  void stop() throws Exception {
    if (jmx != null) {
      jmx.close();
    }
    if (topology != null) {
      topology.close();
    }
  }

  @Test
  void jmxAndTheLogSayTheServerRunsOnNio() throws Exception {
    ServerMXBean bean = proxy("dev.ringway:type=Server", ServerMXBean.class);

    assertThat(bean.getEngine()).isEqualTo("nio");
    assertThat(server.output()).contains("(nio engine)");
  }

  @Test
  void fiftyPingsCrossTheTunnelWithoutLoss() {
    Commands.Result ping = topology.ping(0, 50);

    assertThat(ping.output()).as(ping.output()).contains("50 received", " 0% packet loss");
  }

  @Test
  void bulkTransfersBothWaysArriveIntactAndEveryPathCountsThem() throws Exception {
    PathMXBean udpRx = path("udp.rx");
    PathMXBean udpTx = path("udp.tx");
    PathMXBean tunRx = path("tun.rx");
    PathMXBean tunTx = path("tun.tx");
    long udpRxBytes = udpRx.getBytes();
    long udpTxBytes = udpTx.getBytes();
    long tunRxBytes = tunRx.getBytes();
    long tunTxBytes = tunTx.getBytes();

    // Up: the client sends, the server reads datagrams and writes the packets to its TUN device.
    assertTransferIntact(
        topology.server, Topology.SERVER_INSIDE, topology.clients.get(0), Topology.SERVER_INSIDE);
    // Down: the server reads packets from its TUN device and sends datagrams. The server reaches
    // the client at its pool address, which the client translates to its own inside address.
    assertTransferIntact(
        topology.clients.get(0), Topology.CLIENT_INSIDE, topology.server, clientPoolAddress());

    Await.until(
        "every path to count a transfer's worth of bytes: udp.rx "
            + (udpRx.getBytes() - udpRxBytes)
            + ", tun.tx "
            + (tunTx.getBytes() - tunTxBytes)
            + ", tun.rx "
            + (tunRx.getBytes() - tunRxBytes)
            + ", udp.tx "
            + (udpTx.getBytes() - udpTxBytes),
        Duration.ofSeconds(10),
        () ->
            udpRx.getBytes() - udpRxBytes > BULK
                && tunTx.getBytes() - tunTxBytes > BULK
                && tunRx.getBytes() - tunRxBytes > BULK
                && udpTx.getBytes() - udpTxBytes > BULK);
    // Synchronous I/O: nothing is ever in flight, and every would-block read counts as EAGAIN.
    assertThat(udpRx.getInFlight()).isZero();
    assertThat(tunRx.getInFlight()).isZero();
    assertThat(udpRx.getEagain()).isPositive();
    assertThat(tunRx.getEagain()).isPositive();
    assertThat(server.isAlive()).isTrue();
  }

  @Test
  void badInputIsCountedAndAnUnknownSessionIsRejected() throws Exception {
    PathMXBean udpRx = path("udp.rx");
    long errorsBefore = udpRx.getErrors();

    String reject =
        InNamespace.run(topology.clients.get(0), UdpTunnelTest::sendGarbageAndAwaitReject)
            .get(30, TimeUnit.SECONDS);

    assertThat(reject).isEqualTo(UdpTunnelTest.REJECT_NOTICE);
    // 200 junk datagrams, a truncated header, a wrong magic, a bad version, an unknown session.
    Await.until(
        "udp.rx Errors to count every dropped datagram",
        Duration.ofSeconds(10),
        () -> udpRx.getErrors() - errorsBefore >= 204);
    assertThat(topology.ping(0, 5).output()).contains(" 0% packet loss");
  }

  @Test
  void ringTunablesAreRecordedButOnlyTheSocketBufferChangesNow() throws Exception {
    TunablesMXBean tunables = proxy("dev.ringway:type=Tunables", TunablesMXBean.class);

    String outcome = tunables.apply(Map.of("io.tun.rxSlots", "16", "io.udp.socketBuffer", "4MiB"));

    assertThat(outcome)
        .contains("io.tun.rxSlots 64 → 16")
        .contains("io.tun.rxSlots recorded only, they take effect on the uring engine");
    assertThat(tunables.getTunRxSlots()).isEqualTo(16);
    assertThat(tunables.getUdpSocketBufferBytes()).isEqualTo(4 * 1024 * 1024);
    // SO_RCVBUF as the kernel stores it: doubled.
    assertThat(topology.server.exec("ss", "-uamn", "sport", "=", ":27690").output())
        .contains("rb" + 8 * 1024 * 1024);
    assertThat(topology.ping(0, 5).output()).contains(" 0% packet loss");
  }

  private void assertTransferIntact(
      dev.ringway.testkit.Netns sinkIn,
      String sinkAddress,
      dev.ringway.testkit.Netns sourceIn,
      String target)
      throws Exception {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    int port = 5100 + (sinkIn == topology.server ? 0 : 1);
    CompletableFuture<Transfer.Digest> received =
        Transfer.sink(sinkIn, sinkAddress, port, listening);
    listening.get(10, TimeUnit.SECONDS);

    Transfer.Digest sent = Transfer.source(sourceIn, target, port, BULK).get(180, TimeUnit.SECONDS);

    assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(sent);
    assertThat(sent.bytes()).isEqualTo(BULK);
  }

  /** The client's address in the server's pool, from {@code Connections.list()}. */
  private String clientPoolAddress() throws Exception {
    TabularData rows =
        (TabularData)
            jmx.getMBeanServerConnection()
                .invoke(new ObjectName("dev.ringway:type=Connections"), "list", null, null);
    assertThat(rows.values()).hasSize(1);
    CompositeData row =
        (CompositeData) ((CompositeData) rows.values().iterator().next()).get("value");
    return row.get("innerIp").toString();
  }

  private PathMXBean path(String name) throws Exception {
    return proxy("dev.ringway:type=Path,name=" + name, PathMXBean.class);
  }

  private <T> T proxy(String name, Class<T> type) throws Exception {
    MBeanServerConnection connection = jmx.getMBeanServerConnection();
    return JMX.newMXBeanProxy(connection, new ObjectName(name), type);
  }
}

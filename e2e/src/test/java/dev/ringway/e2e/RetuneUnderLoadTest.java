package dev.ringway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.server.jmx.RingMXBean;
import dev.ringway.server.jmx.TunablesMXBean;
import dev.ringway.testkit.NetnsTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.AttributeChangeNotification;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retune under load: while a 500 MB transfer and a ping run through the tunnel, 100 random valid
 * changes covering every tunable (ring resizes, SQPOLL toggles, TUN blocking toggles included) go
 * in over JMX. The transfer arrives intact, no client disconnects, ping loses at most 1%, every
 * change shows in the attributes and is announced, and Ring.Generation counts the migrations.
 */
@NetnsTest
class RetuneUnderLoadTest {
  private static final int CHANGES = 100;
  private static final Pattern GENERATION = Pattern.compile("generation (\\d+)");

  /** Each tunable's YAML key, the values drawn for it, and how to read it back over JMX. */
  private record Knob(String key, List<String> values, Function<TunablesMXBean, String> read) {}

  private static final List<Knob> KNOBS =
      List.of(
          new Knob("io.ring.entries", List.of("512", "1024", "2048"), t -> "" + t.getRingEntries()),
          new Knob(
              "io.ring.sqpollIdle",
              List.of("0ms", "10ms", "50ms"),
              t -> t.getSqpollIdleMillis() + "ms"),
          new Knob("io.tun.rxSlots", List.of("8", "16", "64", "128"), t -> "" + t.getTunRxSlots()),
          new Knob("io.tun.blocking", List.of("true", "false"), t -> "" + t.isTunBlocking()),
          new Knob("io.udp.rxSlots", List.of("8", "16", "32", "64"), t -> "" + t.getUdpRxSlots()),
          new Knob("io.tx.slots", List.of("256", "512", "768"), t -> "" + t.getTxSlots()),
          new Knob(
              "io.udp.socketBuffer",
              List.of("4MiB", "8MiB", "15MiB"),
              t -> t.getUdpSocketBufferBytes() / (1024 * 1024) + "MiB"),
          new Knob(
              "io.tcp.socketBuffer",
              List.of("256KiB", "512KiB", "1024KiB"),
              t -> t.getTcpSocketBufferBytes() / 1024 + "KiB"),
          new Knob(
              "io.tcp.maxConnections",
              List.of("16", "32", "64"),
              t -> "" + t.getTcpMaxConnections()),
          new Knob("log.level", List.of("info", "warn"), TunablesMXBean::getLogLevel));

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void hundredLiveChangesUnderTrafficKeepTheTunnelUp(String mode) throws Exception {
    try (Topology topology = mode.equals("tcp") ? Topology.createTcp(1) : Topology.create(1)) {
      String jmxAddress = topology.linkHost();
      Process server =
          topology.startServer(
              "jmx.bind=" + jmxAddress + ":27691", "jmx.insecure=true", "stats.interval=250ms");
      Process client = topology.startClient(0);
      topology.awaitOnline(0, client);
      JMXServiceURL url =
          new JMXServiceURL(
              "service:jmx:rmi://%s:27691/jndi/rmi://%s:27691/jmxrmi"
                  .formatted(jmxAddress, jmxAddress));

      try (JMXConnector jmx = JMXConnectorFactory.connect(url)) {
        MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
        ObjectName tunablesName = new ObjectName("dev.ringway:type=Tunables");
        TunablesMXBean tunables = JMX.newMXBeanProxy(mbeans, tunablesName, TunablesMXBean.class);
        RingMXBean ring =
            JMX.newMXBeanProxy(mbeans, new ObjectName("dev.ringway:type=Ring"), RingMXBean.class);
        List<Notification> announced = new CopyOnWriteArrayList<>();
        mbeans.addNotificationListener(tunablesName, (n, h) -> announced.add(n), null, null);

        CompletableFuture<Void> listening = new CompletableFuture<>();
        CompletableFuture<Transfer.Digest> received =
            Transfer.sink(topology.server, Topology.SERVER_INSIDE, 7001, listening);
        listening.get(10, TimeUnit.SECONDS);
        CompletableFuture<Transfer.Digest> sent =
            Transfer.source(topology.clients.get(0), Topology.SERVER_INSIDE, 7001, 500L << 20);
        CompletableFuture<String> ping =
            CompletableFuture.supplyAsync(() ->
                topology
                    .clients
                    .get(0)
                    .exec("ping", "-i", "0.05", "-w", "40", "-W", "2", Topology.SERVER_INSIDE)
                    .output());

        Random random = new Random(mode.hashCode());
        int applied = 0;
        int attempts = 0;
        long generation = 0;
        int changedAttributes = 0;
        while (applied < CHANGES) {
          assertThat(attempts++).as("valid changes found").isLessThan(CHANGES * 5);
          Map<String, String> change = new LinkedHashMap<>();
          Map<String, Knob> knobs = new HashMap<>();
          for (int n = 1 + random.nextInt(3); n > 0; n--) {
            Knob knob = KNOBS.get(random.nextInt(KNOBS.size()));
            change.put(knob.key(), knob.values().get(random.nextInt(knob.values().size())));
            knobs.put(knob.key(), knob);
          }
          Map<String, String> before = new HashMap<>();
          knobs.forEach((key, knob) -> before.put(key, knob.read().apply(tunables)));
          String result;
          try {
            result = tunables.apply(change);
          } catch (IllegalArgumentException refused) {
            continue; // e.g. the slot budget: refused whole, nothing changed
          }
          applied++;
          for (Map.Entry<String, String> entry : change.entrySet()) {
            assertThat(knobs.get(entry.getKey()).read().apply(tunables))
                .as("%s after %s (%s)", entry.getKey(), change, result)
                .isEqualTo(entry.getValue());
            if (!before.get(entry.getKey()).equals(entry.getValue())) {
              changedAttributes++;
            }
          }
          Matcher matcher = GENERATION.matcher(result);
          if (matcher.find()) {
            generation = Long.parseLong(matcher.group(1));
          }
          Thread.sleep(100);
        }

        Transfer.Digest digest = sent.get(300, TimeUnit.SECONDS);
        assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(digest);
        String pings = ping.get(90, TimeUnit.SECONDS);
        assertThat(lossPercent(pings)).as(pings).isLessThanOrEqualTo(1.0);
        assertThat(client.output()).as("no reconnect").containsOnlyOnce("online over");
        assertThat(server.output()).doesNotContain("disconnected:");
        final int expectedNotifications = changedAttributes;
        dev.ringway.testkit.Await.until(
            "an AttributeChangeNotification per changed attribute",
            Duration.ofSeconds(10),
            () ->
                announced.stream().filter(n -> n instanceof AttributeChangeNotification).count()
                    >= expectedNotifications);
        final long migrations = generation;
        dev.ringway.testkit.Await.until(
            "Ring.Generation to count the " + migrations + " migrations",
            Duration.ofSeconds(10),
            () -> ring.getGeneration() == migrations);
        assertThat(migrations).as("SQPOLL toggles migrate the ring").isPositive();
      }
    }
  }

  private static double lossPercent(String ping) {
    Matcher matcher = Pattern.compile("([0-9.]+)% packet loss").matcher(ping);
    assertThat(matcher.find()).as(ping).isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}

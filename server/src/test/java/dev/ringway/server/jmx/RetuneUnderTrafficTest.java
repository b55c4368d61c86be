package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.loop.PathName;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.NetnsTest;
import dev.ringway.uring.LinuxFiles;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.management.AttributeChangeNotification;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hundred random live changes covering every tunable — ring resizes, SQPOLL on and off, TUN
 * blocking toggles — while datagrams pour into the UDP socket and packets into the TUN device:
 * every datagram the kernel delivered is read (a read that completes instead of being cancelled is
 * processed, never dropped), every change is reflected and announced, and {@code Generation} counts
 * the migrations. Traffic through a real tunnel (client and server) is the e2e suite's.
 */
@NetnsTest
class RetuneUnderTrafficTest {
  private static final ObjectName TUNABLES = JmxAgent.name("type=Tunables");
  private static final ObjectName RING = JmxAgent.name("type=Ring");
  private static final Duration SOON = Duration.ofSeconds(10);

  /** The values each key takes, all of them valid together (the slot budget holds for any mix). */
  private static final Map<String, List<String>> CHOICES = new LinkedHashMap<>();

  static {
    CHOICES.put("io.ring.entries", List.of("512", "1024", "2048"));
    CHOICES.put("io.ring.sqpollIdle", List.of("0ms", "0ms", "10ms", "50ms"));
    CHOICES.put("io.tun.rxSlots", List.of("1", "8", "32", "64", "128"));
    CHOICES.put("io.tun.blocking", List.of("true", "false"));
    CHOICES.put("io.udp.rxSlots", List.of("1", "4", "16", "32", "64"));
    CHOICES.put("io.tx.slots", List.of("16", "64", "256", "512"));
    CHOICES.put("io.udp.socketBuffer", List.of("4MiB", "8MiB", "16MiB"));
    CHOICES.put("io.tcp.socketBuffer", List.of("64KiB", "256KiB", "1MiB"));
    CHOICES.put("io.tcp.maxConnections", List.of("16", "128", "256"));
    CHOICES.put("log.level", List.of("info", "warn"));
  }

  @TempDir Path dir;

  @Test
  void aHundredRandomChangesUnderTrafficLoseNothing() throws Exception {
    Random random = new Random(6);
    try (LiveServer server = LiveServer.start(dir);
        JMXConnector operator = server.connect(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD)) {
      MBeanServerConnection jmx = operator.getMBeanServerConnection();
      TunablesMXBean tunables = JMX.newMXBeanProxy(jmx, TUNABLES, TunablesMXBean.class);
      List<Notification> notifications = new CopyOnWriteArrayList<>();
      jmx.addNotificationListener(TUNABLES, (n, handback) -> notifications.add(n), null, null);
      long generationBefore = (Long) jmx.getAttribute(RING, "Generation");
      long udpPacketsBefore = packets(jmx, PathName.UDP_RX);
      long udpDropsBefore = udpReceiveBufferErrors(server);

      AtomicBoolean sending = new AtomicBoolean(true);
      AtomicLong datagrams = new AtomicLong();
      AtomicLong tunPackets = new AtomicLong();
      Thread traffic =
          Thread.ofPlatform()
              .name("traffic")
              .start(() -> sendTraffic(server.netns.name(), sending, datagrams, tunPackets));

      Map<String, String> model = new LinkedHashMap<>();
      int migrations = 0;
      int expectedNotifications = 0;
      List<String> keys = List.copyOf(CHOICES.keySet());
      try {
        for (int i = 0; i < 100; i++) {
          Map<String, String> change = new LinkedHashMap<>();
          // The first ten changes take each key in turn, so every tunable is covered.
          change.put(keys.get(i % keys.size()), null);
          if (i >= keys.size()) {
            for (int extra = random.nextInt(3); extra > 0; extra--) {
              change.put(keys.get(random.nextInt(keys.size())), null);
            }
          }
          for (String key : change.keySet()) {
            List<String> choices = CHOICES.get(key);
            change.put(key, choices.get(random.nextInt(choices.size())));
          }
          String result = tunables.apply(change);

          // "applied k1 a → b, k2 c → d …", or nothing to apply when every value is already set.
          assertThat(result)
              .as("change %d %s", i, change)
              .matches("applied .* ms \\(.*|nothing to apply.*");
          migrations += result.split("migrated", -1).length - 1;
          expectedNotifications += result.split(" → ", -1).length - 1;
          model.putAll(change);
        }
      } finally {
        sending.set(false);
        traffic.join(5000);
      }

      int announced = expectedNotifications;
      Await.until(
          announced + " change notifications",
          SOON,
          () ->
              notifications.stream().filter(AttributeChangeNotification.class::isInstance).count()
                  == announced);
      assertThat(notifications).noneMatch(n -> n.getType().equals("dev.ringway.retune.failed"));
      assertThat(tunables.getTunRxSlots()).isEqualTo(Integer.parseInt(model.get("io.tun.rxSlots")));
      assertThat(tunables.getUdpRxSlots()).isEqualTo(Integer.parseInt(model.get("io.udp.rxSlots")));
      assertThat(tunables.getTxSlots()).isEqualTo(Integer.parseInt(model.get("io.tx.slots")));
      assertThat(tunables.isTunBlocking())
          .isEqualTo(Boolean.parseBoolean(model.get("io.tun.blocking")));
      assertThat(tunables.getRingEntries())
          .isEqualTo(Integer.parseInt(model.get("io.ring.entries")));
      assertThat(migrations).isPositive();
      long generation = generationBefore + migrations;
      Await.until(
          "Ring.Generation = " + generation,
          SOON,
          () -> attribute(jmx, RING, "Generation").equals(generation));
      Await.until(
          "tun.rx Slots = " + model.get("io.tun.rxSlots"),
          SOON,
          () ->
              attribute(jmx, JmxAgent.name("type=Path,name=tun.rx"), "Slots")
                  .equals(Integer.parseInt(model.get("io.tun.rxSlots"))));

      // Every datagram the kernel queued was read and counted, across every cancel and migration.
      long delivered = datagrams.get() - (udpReceiveBufferErrors(server) - udpDropsBefore);
      assertThat(datagrams.get()).isGreaterThan(200);
      Await.until(
          "udp.rx to count all " + delivered + " delivered datagrams",
          SOON,
          () -> packets(jmx, PathName.UDP_RX) - udpPacketsBefore == delivered);
      // TUN has no back-pressure: while reads are few or re-armed the kernel drops what its queue
      // cannot hold. What it handed to a read, it counts as transmitted: all of that was counted.
      assertThat(tunPackets.get()).isGreaterThan(200);
      Await.until(
          "tun.rx to count every packet the TUN device handed over",
          SOON,
          () -> packets(jmx, PathName.TUN_RX) == tunTransmitted(server));
      assertThat(server.log()).doesNotContain("ERROR", "the loop failed");
    }
  }

  private static Object attribute(MBeanServerConnection jmx, ObjectName bean, String name) {
    try {
      return jmx.getAttribute(bean, name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long packets(MBeanServerConnection jmx, PathName path) {
    return (Long) attribute(jmx, JmxAgent.name("type=Path,name=" + path.key()), "Packets");
  }

  /** Packets the server's TUN device handed to the reader (the kernel's tx side of the device). */
  private static long tunTransmitted(LiveServer server) {
    return Long.parseLong(
        server
            .netns
            .exec("cat", "/sys/class/net/ringway0/statistics/tx_packets")
            .orThrow()
            .output()
            .trim());
  }

  /** Datagrams the namespace's kernel dropped because a socket's receive buffer was full. */
  private static long udpReceiveBufferErrors(LiveServer server) {
    String[] lines = server.netns.exec("cat", "/proc/net/snmp").orThrow().output().split("\n");
    for (int i = 0; i + 1 < lines.length; i++) {
      if (lines[i].startsWith("Udp:") && lines[i + 1].startsWith("Udp:")) {
        List<String> names = List.of(lines[i].trim().split("\\s+"));
        String[] values = lines[i + 1].trim().split("\\s+");
        return Long.parseLong(values[names.indexOf("RcvbufErrors")]);
      }
    }
    throw new IllegalStateException("no Udp line in /proc/net/snmp");
  }

  /**
   * From inside the server's namespace: about 2000 junk datagrams a second to the server's UDP
   * socket (never the Lightway magic, so each is read, counted and dropped) and as many UDP packets
   * to a pool address, which the kernel routes into the TUN device.
   */
  private static void sendTraffic(
      String namespace, AtomicBoolean sending, AtomicLong datagrams, AtomicLong tunPackets) {
    try {
      LinuxFiles.enterNetworkNamespace(namespace);
      InetSocketAddress server = new InetSocketAddress("127.0.0.1", 27690);
      InetSocketAddress pool = new InetSocketAddress("10.125.7.7", 9);
      byte[] junk = new byte[200];
      junk[0] = 'X';
      try (DatagramSocket socket = new DatagramSocket()) {
        while (sending.get()) {
          for (int i = 0; i < 2; i++) {
            socket.send(new DatagramPacket(junk, junk.length, server));
            datagrams.incrementAndGet();
            socket.send(new DatagramPacket(junk, junk.length, pool));
            tunPackets.incrementAndGet();
          }
          LockSupport.parkNanos(1_000_000L);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("sending traffic failed", e);
    }
  }
}

package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.KernelTest;
import dev.ringway.testkit.Netns;
import dev.ringway.testkit.NetnsTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A TUN device in a namespace of its own, configured through ioctls, carrying packets both ways
 * through the ring. The test's work runs on a thread that entered the namespace, as the server's
 * loop thread would.
 */
@KernelTest
@NetnsTest
class TunTest {
  private static final ValueLayout.OfShort NET_SHORT =
      ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);
  private static final ValueLayout.OfInt NET_INT =
      ValueLayout.JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);
  private static final int LOCAL = 0x0a4d0001; // 10.77.0.1, the TUN's own address
  private static final int PEER = 0x0a4d0002; // 10.77.0.2, reached through the TUN

  @Test
  void aTunDeviceIsConfiguredByIoctlsAndCarriesPacketsBothWaysThroughTheRing() throws Exception {
    try (Netns netns = Netns.create("tun")) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      Thread.ofPlatform()
          .start(() -> {
            try {
              LinuxFiles.enterNetworkNamespace(netns.name());
              exchange(netns);
              done.complete(null);
            } catch (Throwable t) {
              done.completeExceptionally(t);
            }
          })
          .join();
      done.get();
    }
  }

  private void exchange(Netns netns) throws Exception {
    try (Tun tun = Tun.open("rwtun0", false);
        Ring ring = Ring.open(RingOptions.singleIssuer(16))) {
      tun.configure((Inet4Address) InetAddress.getByName("10.77.0.1"), 24, 1400);
      assertThat(tun.name()).isEqualTo("rwtun0");
      assertThat(tun.mtu()).isEqualTo(1400);
      assertThat(tun.isUp()).isTrue();
      String shown = netns.exec("ip", "addr", "show", "dev", "rwtun0").orThrow().output();
      assertThat(shown).contains("inet 10.77.0.1/24").contains("mtu 1400").contains("UP");

      Arena arena = ring.adopt(Arena.ofShared());
      int socket = LinuxSockets.socket(SockAddr.AF_INET, LinuxSockets.SOCK_DGRAM, 0);
      try {
        LinuxSockets.bind(socket, new InetSocketAddress("10.77.0.1", 0));
        int port = LinuxSockets.localAddress(socket).getPort();

        // Outbound: a datagram to the peer is routed into the TUN and read through the ring.
        Msghdr out = Msghdr.allocate(arena, 0);
        out.setPeer(new InetSocketAddress("10.77.0.2", 9999));
        out.armSend(arena.allocateFrom("to the peer", StandardCharsets.US_ASCII), 11);
        ring.prepSendmsg(socket, out, 0, 1);
        MemorySegment packet = arena.allocate(2048);
        Completions completions = new Completions();
        completions.awaitOne(ring, 1);
        int length = readIpv4Udp(ring, tun, packet, 9999, completions);
        assertThat(packet.get(NET_INT, 12)).isEqualTo(LOCAL);
        assertThat(packet.get(NET_INT, 16)).isEqualTo(PEER);
        assertThat(length).isEqualTo(20 + 8 + 11);
        assertThat(text(packet, 28, 11)).isEqualTo("to the peer");

        // Inbound: a packet written to the TUN through the ring reaches the local socket.
        MemorySegment reply = arena.allocate(64);
        int replyLength = udpPacket(reply, PEER, 9999, LOCAL, port, "from the peer");
        ring.prepWrite(tun.fd(), reply, replyLength, -1, 2);
        assertThat(completions.awaitOne(ring, 2).res()).isEqualTo(replyLength);
        Msghdr in = Msghdr.allocate(arena, 0);
        MemorySegment received = arena.allocate(64);
        in.armReceive(received, 64);
        ring.prepRecvmsg(socket, in, 0, 3);
        assertThat(completions.awaitOne(ring, 3).res()).isEqualTo(13);
        assertThat(text(received, 0, 13)).isEqualTo("from the peer");
        assertThat(in.peer()).isEqualTo(new InetSocketAddress("10.77.0.2", 9999));
      } finally {
        LinuxFiles.close(socket);
      }
      tun.setUp(false);
      assertThat(tun.isUp()).isFalse();
      assertThat(netns.exec("ip", "link", "show", "dev", "rwtun0").orThrow().output())
          .doesNotContain(",UP");
    }
  }

  /** Reads packets from the TUN until the IPv4 UDP one to {@code port} (IPv6 chatter may come). */
  private static int readIpv4Udp(
      Ring ring, Tun tun, MemorySegment packet, int port, Completions completions)
      throws LinuxException {
    for (long attempt = 100; attempt < 120; attempt++) {
      ring.prepRead(tun.fd(), packet, (int) packet.byteSize(), -1, attempt);
      int length = completions.awaitOne(ring, attempt).res();
      assertThat(length).isPositive();
      boolean ipv4Udp =
          (packet.get(JAVA_BYTE, 0) >> 4) == 4
              && packet.get(JAVA_BYTE, 9) == LinuxSockets.IPPROTO_UDP
              && (packet.get(NET_SHORT, 22) & 0xffff) == port;
      if (ipv4Udp) {
        return length;
      }
    }
    throw new AssertionError("no IPv4 UDP packet to port " + port + " came out of the TUN");
  }

  /** Builds an IPv4/UDP packet (UDP checksum 0, which IPv4 allows) and returns its length. */
  private static int udpPacket(
      MemorySegment packet, int source, int sourcePort, int destination, int port, String text) {
    byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
    int length = 20 + 8 + payload.length;
    packet.fill((byte) 0);
    packet.set(JAVA_BYTE, 0, (byte) 0x45);
    packet.set(NET_SHORT, 2, (short) length);
    packet.set(JAVA_BYTE, 8, (byte) 64);
    packet.set(JAVA_BYTE, 9, (byte) LinuxSockets.IPPROTO_UDP);
    packet.set(NET_INT, 12, source);
    packet.set(NET_INT, 16, destination);
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += packet.get(NET_SHORT, i) & 0xffff;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    packet.set(NET_SHORT, 10, (short) ~sum);
    packet.set(NET_SHORT, 20, (short) sourcePort);
    packet.set(NET_SHORT, 22, (short) port);
    packet.set(NET_SHORT, 24, (short) (8 + payload.length));
    MemorySegment.copy(payload, 0, packet, JAVA_BYTE, 28, payload.length);
    return length;
  }

  private static String text(MemorySegment buffer, long offset, int length) {
    return new String(buffer.asSlice(offset, length).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
  }
}

package dev.ringway.loop.nio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.loop.PathName;
import dev.ringway.loop.PathStats;
import dev.ringway.loop.TxPool;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.LoopThread;
import dev.ringway.testkit.Netns;
import dev.ringway.testkit.NetnsTest;
import dev.ringway.uring.LinuxFiles;
import dev.ringway.uring.Tun;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nio engine's inside on a real TUN device in a namespace: the reader thread's hand-over to the
 * loop, back-pressure without loss, writes, and a clean stop.
 */
@NetnsTest
class NioTunSourceTest {
  private static final String TUN_ADDRESS = "10.9.0.1";
  private static final String BEYOND_TUN = "10.9.0.2";
  private static final int PORT = 9999;

  private Netns netns;
  private NioLoop loop;
  private NioTunSource tun;
  private TxPool pool;
  private LoopThread thread;
  private final List<Integer> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    netns = Netns.create("nio-tun");
    Tun device =
        inNamespace(
                () -> {
                  Tun opened = Tun.open("", true);
                  opened.configure((Inet4Address) Inet4Address.getByName(TUN_ADDRESS), 24, 1400);
                  return opened;
                })
            .get(10, TimeUnit.SECONDS);
    loop = new NioLoop(20_000_000L, 100_000_000L);
    pool = new TxPool(4);
    tun = new NioTunSource(device, pool, this::packet);
    tun.registerOn(loop);
    thread = LoopThread.start("test-nio-loop", loop::run, loop.started(), loop::stop);
  }

  @AfterEach
  void stop() throws Exception {
    thread.close();
    netns.close();
  }

  /**
   * Keeps the sequence number of each UDP datagram to {@link #PORT}; ignores the kernel's noise.
   */
  private void packet(MemorySegment packet, ByteBuffer view, int length) {
    boolean ipv4Udp = (view.get(0) >> 4) == 4 && view.get(9) == 17;
    if (ipv4Udp && (view.getShort(22) & 0xffff) == PORT) {
      received.add(view.getInt(28));
    }
  }

  @Test
  void packetsTheKernelRoutesIntoTheDeviceReachTheLoopInOrder() throws Exception {
    sendThroughTheDevice(100);

    Await.until("100 packets on the loop", Duration.ofSeconds(10), () -> received.size() >= 100);
    assertThat(received).hasSize(100).isSorted().doesNotHaveDuplicates();
    PathStats rx = loop.call(() -> loop.counters(PathName.TUN_RX).snapshot()).get();
    assertThat(rx.packets()).isGreaterThanOrEqualTo(100);
    assertThat(rx.eagain()).as("the reader drained the device until it would block").isPositive();
    assertThat(rx.inFlight()).isZero();
  }

  @Test
  void withNoFreeTxSlotPacketsWaitCountedAndNoneIsLost() throws Exception {
    List<TxPool.Slot> held =
        loop.call(
                () -> {
                  List<TxPool.Slot> slots = new java.util.ArrayList<>();
                  while (pool.free() > 0) {
                    slots.add(pool.acquire());
                  }
                  return slots;
                })
            .get(5, TimeUnit.SECONDS);
    // More than the reader's buffers, fewer than those plus the device's queue (500).
    int count = NioTunSource.BUFFERS + 100;

    sendThroughTheDevice(count);

    Await.until(
        "the reader to wait for the loop",
        Duration.ofSeconds(10),
        () ->
            loop.call(() -> loop.counters(PathName.TUN_RX).snapshot().slotExhausted()).join() >= 2);
    assertThat(received).as("nothing reaches the receiver while no TX slot is free").isEmpty();
    loop.call(
            () -> {
              held.forEach(pool::release);
              return null;
            })
        .get(5, TimeUnit.SECONDS);
    Await.until("every packet on the loop", Duration.ofSeconds(10), () -> received.size() >= count);
    assertThat(received).hasSize(count).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aPacketWrittenFromATxSlotReachesASocketBehindTheDevice() throws Exception {
    DatagramSocket socket =
        inNamespace(() -> new DatagramSocket(new InetSocketAddress(TUN_ADDRESS, PORT)))
            .get(10, TimeUnit.SECONDS);
    try (socket) {
      socket.setSoTimeout(5000);
      int length =
          loop.call(
                  () -> {
                    TxPool.Slot slot = pool.acquire();
                    int written = udpPacket(slot.view(), BEYOND_TUN, TUN_ADDRESS, PORT, 77);
                    tun.write(slot, written);
                    return written;
                  })
              .get(5, TimeUnit.SECONDS);

      DatagramPacket packet = new DatagramPacket(new byte[64], 64);
      socket.receive(packet);

      assertThat(ByteBuffer.wrap(packet.getData()).getInt()).isEqualTo(77);
      PathStats tx = loop.call(() -> loop.counters(PathName.TUN_TX).snapshot()).get();
      assertThat(tx.packets()).isEqualTo(1);
      assertThat(tx.bytes()).isEqualTo(length);
      assertThat(loop.call(() -> pool.free()).get()).as("the slot came back at once").isEqualTo(4);
    }
  }

  @Test
  void stoppingTheLoopEndsTheReaderThread() throws Exception {
    Thread reader =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("ringway-tun-reader"))
            .findFirst()
            .orElseThrow();

    thread.close();

    assertThat(reader.isAlive()).isFalse();
  }

  /** Sends {@code count} numbered datagrams from the namespace to an address routed via the TUN. */
  private void sendThroughTheDevice(int count) throws Exception {
    inNamespace(
            () -> {
              try (DatagramSocket socket = new DatagramSocket()) {
                for (int i = 0; i < count; i++) {
                  byte[] payload = ByteBuffer.allocate(32).putInt(i).array();
                  socket.send(
                      new DatagramPacket(
                          payload, payload.length, new InetSocketAddress(BEYOND_TUN, PORT)));
                }
              }
              return null;
            })
        .get(10, TimeUnit.SECONDS);
  }

  /** Writes an IPv4/UDP packet carrying {@code value} into {@code out}; returns its length. */
  private static int udpPacket(ByteBuffer out, String from, String to, int port, int value)
      throws Exception {
    int length = 20 + 8 + 4;
    out.put((byte) 0x45).put((byte) 0).putShort((short) length).putInt(0);
    out.put((byte) 64).put((byte) 17).putShort((short) 0);
    out.put(Inet4Address.getByName(from).getAddress()).put(Inet4Address.getByName(to).getAddress());
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += out.getShort(i) & 0xffff;
    }
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = (sum & 0xffff) + (sum >>> 16);
    out.putShort(10, (short) ~sum);
    // UDP without a checksum (0 is allowed over IPv4).
    out.putShort((short) 40000).putShort((short) port).putShort((short) 12).putShort((short) 0);
    out.putInt(value);
    return length;
  }

  private <T> CompletableFuture<T> inNamespace(Callable<T> body) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(() -> {
          try {
            LinuxFiles.enterNetworkNamespace(netns.name());
            result.complete(body.call());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    return result;
  }
}

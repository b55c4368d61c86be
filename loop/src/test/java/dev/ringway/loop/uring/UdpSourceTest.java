package dev.ringway.loop.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.loop.DatagramPeer;
import dev.ringway.loop.PathName;
import dev.ringway.loop.TxPool;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.KernelTest;
import dev.ringway.testkit.LoopThread;
import dev.ringway.uring.LinuxSockets;
import dev.ringway.uring.RingOptions;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The io_uring UDP source as the datagram seams promise it: who sent each datagram (one address
 * object per sender) and to which local address, sends to a {@link DatagramPeer} that follow it
 * when it moves, oversized datagrams dropped and counted, socket buffers set and reported as set.
 */
@KernelTest
class UdpSourceTest {
  private static final int LOOPBACK = 0x7f00_0001;

  /** One datagram as the receiver saw it. */
  private record Seen(int length, InetSocketAddress sender, int localIpv4) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private EventLoop loop;
  private UdpSource udp;
  private TxPool pool;
  private LoopThread thread;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws Exception {
    int fd = LinuxSockets.socketFor(new InetSocketAddress("127.0.0.1", 0), LinuxSockets.SOCK_DGRAM);
    LinuxSockets.bind(fd, new InetSocketAddress("127.0.0.1", 0));
    address = LinuxSockets.localAddress(fd);
    loop = new EventLoop(RingOptions.singleIssuer(64), 20_000_000L, 50_000_000L);
    pool = new TxPool(8);
    udp =
        new UdpSource(
            fd,
            2,
            pool,
            8,
            9,
            (ByteBuffer view, int length, InetSocketAddress sender, int localIpv4) ->
                seen.add(new Seen(length, sender, localIpv4)));
    udp.registerOn(loop);
    thread = LoopThread.start("udp-source-test", loop::run, loop.started(), loop::stop);
  }

  @AfterEach
  void stop() throws Exception {
    thread.close();
  }

  @Test
  void eachDatagramNamesItsSenderOnceAndTheLocalAddressItWasSentTo() throws Exception {
    try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      for (int i = 0; i < 3; i++) {
        client.send(new DatagramPacket(new byte[10 + i], 10 + i, address));
      }
      Await.until("three datagrams", Duration.ofSeconds(5), () -> seen.size() == 3);

      assertThat(seen).extracting(Seen::length).containsExactly(10, 11, 12);
      assertThat(seen.get(0).sender()).isEqualTo(client.getLocalSocketAddress());
      assertThat(seen.get(1).sender()).as("the same object").isSameAs(seen.get(0).sender());
      assertThat(seen).extracting(Seen::localIpv4).containsOnly(LOOPBACK);
    }
  }

  @Test
  void aDatagramLongerThanASlotIsDroppedAndCounted() throws Exception {
    try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      client.send(
          new DatagramPacket(new byte[TxPool.SLOT_BYTES + 1], TxPool.SLOT_BYTES + 1, address));
      client.send(new DatagramPacket(new byte[5], 5, address));

      Await.until("the short one", Duration.ofSeconds(5), () -> seen.size() == 1);
      assertThat(seen.getFirst().length()).isEqualTo(5);
      Await.until(
          "the error counted",
          Duration.ofSeconds(5),
          () -> loop.snapshot().path(PathName.UDP_RX).errors() == 1);
    }
  }

  @Test
  void sendsToAPeerFollowItWhenItMoves() throws Exception {
    try (DatagramSocket first = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        DatagramSocket second = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      first.setSoTimeout(5000);
      second.setSoTimeout(5000);
      DatagramPeer peer = new DatagramPeer((InetSocketAddress) first.getLocalSocketAddress(), 0);

      send(peer, 7);
      DatagramPacket got = new DatagramPacket(new byte[64], 64);
      first.receive(got);
      assertThat(got.getLength()).isEqualTo(7);
      assertThat(got.getSocketAddress()).isEqualTo(address);

      loop.call(
              () -> {
                peer.moveTo((InetSocketAddress) second.getLocalSocketAddress(), LOOPBACK);
                return null;
              })
          .get(5, TimeUnit.SECONDS);
      send(peer, 9);
      second.receive(got);
      assertThat(got.getLength()).isEqualTo(9);
      Await.until(
          "both slots back",
          Duration.ofSeconds(5),
          () -> loop.call(pool::free).join() == pool.size());
    }
  }

  @Test
  void theSocketBufferIsReportedAsItWasSet() throws Exception {
    int reported =
        loop.call(
                () -> {
                  udp.setSocketBuffer(64 * 1024);
                  return udp.receiveBuffer();
                })
            .get(5, TimeUnit.SECONDS);

    assertThat(reported).isEqualTo(64 * 1024);
  }

  private void send(DatagramPeer peer, int length) throws Exception {
    loop.call(
            () -> {
              TxPool.Slot slot = pool.acquire();
              udp.send(slot, length, peer);
              return null;
            })
        .get(5, TimeUnit.SECONDS);
  }
}

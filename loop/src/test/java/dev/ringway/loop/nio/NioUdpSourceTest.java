package dev.ringway.loop.nio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.loop.DatagramPeer;
import dev.ringway.loop.DatagramReceiver;
import dev.ringway.loop.PathName;
import dev.ringway.loop.PathStats;
import dev.ringway.loop.TxPool;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.LoopThread;
import dev.ringway.testkit.Netns;
import dev.ringway.testkit.NetnsTest;
import dev.ringway.uring.LinuxFiles;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The nio engine's UDP outside against real sockets: receiving, sending, and back-pressure. */
class NioUdpSourceTest {
  private NioLoop loop;
  private NioUdpSource udp;
  private TxPool pool;
  private LoopThread thread;

  private void start(DatagramChannel channel, int txSlots, DatagramReceiver receiver)
      throws Exception {
    loop = new NioLoop(20_000_000L, 100_000_000L);
    pool = new TxPool(txSlots);
    udp = new NioUdpSource(channel, pool, receiver);
    udp.registerOn(loop);
    thread = LoopThread.start("test-nio-loop", loop::run, loop.started(), loop::stop);
  }

  @AfterEach
  void stop() throws Exception {
    if (loop != null) {
      thread.close();
    }
  }

  /** Echoes a datagram to its sender from a TX slot, as the server replies. */
  private void echo(ByteBuffer view, int length, InetSocketAddress sender, int localIpv4) {
    TxPool.Slot slot = pool.acquire();
    if (slot == null) {
      loop.counters(PathName.UDP_TX).slotExhausted();
      return;
    }
    slot.view().put(view);
    udp.send(slot, length, new DatagramPeer(sender, 0));
  }

  @Test
  void everyDatagramReachesTheReceiverWithItsSenderAndEveryReplyComesBack() throws Exception {
    DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    InetSocketAddress address = (InetSocketAddress) channel.getLocalAddress();
    start(channel, 64, this::echo);

    List<Integer> echoed = new ArrayList<>();
    try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      client.setSoTimeout(2000);
      for (int i = 0; i < 200; i++) {
        byte[] out = ByteBuffer.allocate(100).putInt(i).array();
        client.send(new DatagramPacket(out, out.length, address));
        byte[] in = new byte[200];
        DatagramPacket reply = new DatagramPacket(in, in.length);
        client.receive(reply);
        assertThat(reply.getLength()).isEqualTo(100);
        echoed.add(ByteBuffer.wrap(in).getInt());
      }
    }

    assertThat(echoed).hasSize(200).isSorted().doesNotHaveDuplicates();
    PathStats rx = loop.call(() -> loop.counters(PathName.UDP_RX).snapshot()).get();
    PathStats tx = loop.call(() -> loop.counters(PathName.UDP_TX).snapshot()).get();
    assertThat(rx.packets()).isEqualTo(200);
    assertThat(rx.bytes()).isEqualTo(200 * 100);
    assertThat(rx.eagain()).as("each drain ends with a read that would block").isPositive();
    assertThat(tx.packets()).isEqualTo(200);
    assertThat(rx.inFlight()).isZero();
    assertThat(pool.free()).isEqualTo(64);
  }

  @Test
  void aDatagramLongerThanASlotIsCountedAsAnErrorAndDropped() throws Exception {
    DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    InetSocketAddress address = (InetSocketAddress) channel.getLocalAddress();
    start(channel, 8, this::echo);

    try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      client.setSoTimeout(2000);
      byte[] oversized = new byte[TxPool.SLOT_BYTES + 1];
      client.send(new DatagramPacket(oversized, oversized.length, address));
      byte[] small = {42};
      client.send(new DatagramPacket(small, small.length, address));
      DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
      client.receive(reply);

      assertThat(reply.getLength()).as("only the small one comes back").isEqualTo(1);
      client.setSoTimeout(200);
      assertThat(receivesNothing(client)).isTrue();
    }
    PathStats rx = loop.call(() -> loop.counters(PathName.UDP_RX).snapshot()).get();
    assertThat(rx.errors()).isEqualTo(1);
  }

  @Test
  void whileEveryTxSlotIsTakenDatagramsWaitInTheSocketAndNoneIsLost() throws Exception {
    DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    InetSocketAddress address = (InetSocketAddress) channel.getLocalAddress();
    List<Integer> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    start(channel, 2, (view, length, sender, localIpv4) -> received.add(view.getInt(0)));
    List<TxPool.Slot> held =
        loop.call(() -> List.of(pool.acquire(), pool.acquire())).get(5, TimeUnit.SECONDS);

    try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      for (int i = 0; i < 20; i++) {
        byte[] out = ByteBuffer.allocate(16).putInt(i).array();
        client.send(new DatagramPacket(out, out.length, address));
      }
    }
    Await.until(
        "the source to stop reading for want of a TX slot",
        Duration.ofSeconds(5),
        () ->
            loop.call(() -> loop.counters(PathName.UDP_RX).snapshot().slotExhausted()).join() >= 1);
    assertThat(received).isEmpty();
    loop.call(
            () -> {
              held.forEach(pool::release);
              return null;
            })
        .get(5, TimeUnit.SECONDS);

    Await.until("all 20 datagrams", Duration.ofSeconds(5), () -> received.size() >= 20);
    assertThat(received).hasSize(20).isSorted();
  }

  /**
   * A link shaped to 2 Mbit/s behind a small send buffer: sends would block, so they wait in the
   * source's queue holding their TX slots, go out in order once the socket takes them, and give
   * every slot back; none is lost.
   */
  @Test
  @NetnsTest
  void sendsThatWouldBlockWaitInOrderHoldingTheirSlotsAndAllArrive() throws Exception {
    try (Netns sender = Netns.create("nio-tx");
        Netns receiver = Netns.create("nio-rx")) {
      sender.link(receiver, "192.0.2.1", "192.0.2.2");
      sender
          .exec(
              "tc",
              "qdisc",
              "add",
              "dev",
              veth(sender),
              "root",
              "tbf",
              "rate",
              "2mbit",
              "burst",
              "4kb",
              "limit",
              "4mb")
          .orThrow();
      DatagramChannel channel =
          inNamespace(sender, () -> DatagramChannel.open().bind(new InetSocketAddress(0)))
              .get(10, TimeUnit.SECONDS);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
      DatagramSocket sink =
          inNamespace(receiver, () -> new DatagramSocket(new InetSocketAddress("192.0.2.2", 0)))
              .get(10, TimeUnit.SECONDS);
      sink.setReceiveBufferSize(4 * 1024 * 1024);
      InetSocketAddress to = (InetSocketAddress) sink.getLocalSocketAddress();
      start(channel, 64, (view, length, from, localIpv4) -> {});

      DatagramPeer peer = new DatagramPeer(to, 0);
      int[] sentAndQueued =
          loop.call(
                  () -> {
                    int count = 0;
                    TxPool.Slot slot;
                    // Until every slot waits in the queue (bounded, in case the link never pushes
                    // back).
                    while (count < 1000 && (slot = pool.acquire()) != null) {
                      slot.view().putInt(count).put(new byte[996]);
                      udp.send(slot, 1000, peer);
                      count++;
                    }
                    return new int[] {count, udp.queued()};
                  })
              .get(5, TimeUnit.SECONDS);
      int sent = sentAndQueued[0];

      assertThat(sentAndQueued[1]).as("sends waiting for the socket, one per slot").isEqualTo(64);
      assertThat(sent).as("the first went at once, the rest waited").isGreaterThan(64);
      List<Integer> arrived = new ArrayList<>();
      try (sink) {
        sink.setSoTimeout(5000);
        byte[] in = new byte[2048];
        for (int i = 0; i < sent; i++) {
          DatagramPacket packet = new DatagramPacket(in, in.length);
          sink.receive(packet);
          arrived.add(ByteBuffer.wrap(in).getInt());
        }
      }
      assertThat(arrived).hasSize(sent).isSorted().doesNotHaveDuplicates();
      Await.until(
          "every slot back in the pool",
          Duration.ofSeconds(5),
          () -> loop.call(() -> pool.free()).join() == 64);
      PathStats tx = loop.call(() -> loop.counters(PathName.UDP_TX).snapshot()).get();
      assertThat(tx.packets()).isEqualTo(sent);
      assertThat(tx.eagain()).as("sends that would block").isPositive();
      assertThat(tx.errors()).isZero();
    }
  }

  private static boolean receivesNothing(DatagramSocket socket) throws Exception {
    try {
      socket.receive(new DatagramPacket(new byte[4096], 4096));
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    }
  }

  /** The veth end {@link Netns#link} made in {@code netns}. */
  private static String veth(Netns netns) {
    Matcher veth =
        Pattern.compile("\\b(rw[ab][0-9a-f]+)@").matcher(netns.exec("ip", "-o", "link").output());
    assertThat(veth.find()).isTrue();
    return veth.group(1);
  }

  /** Runs {@code body} on a platform thread inside {@code netns}, so its sockets live there. */
  private static <T> CompletableFuture<T> inNamespace(Netns netns, Callable<T> body) {
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

package dev.ringway.loop.nio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.loop.LoopSnapshot;
import dev.ringway.loop.PathName;
import dev.ringway.loop.StreamAcceptor;
import dev.ringway.loop.StreamHandler;
import dev.ringway.loop.StreamSender;
import dev.ringway.loop.TxPool;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.LoopThread;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nio engine's TCP listener and streams on a real {@link NioLoop} against real loopback
 * sockets: every stream echoes what it receives unless a test switches echoing off and drives the
 * stream itself. The same specifications as the ring's {@code TcpLoopTest}, plus what is particular
 * to readiness: short writes continued on writability, reads that wait while the pool is empty.
 */
class NioTcpTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** What the test attaches to each stream. */
  static final class Peer {
    volatile long id = -1;
    volatile InetSocketAddress address;
    volatile Integer endedWith;
    volatile boolean released;
  }

  private final List<Peer> peers = new CopyOnWriteArrayList<>();
  private final List<SocketChannel> opened = new ArrayList<>();
  private volatile boolean echo = true;
  private NioLoop loop;
  private TxPool pool;
  private NioTcpStreamSource<Peer> streams;
  private NioTcpListenerSource<Peer> listener;
  private LoopThread thread;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws Exception {
    ServerSocketChannel channel = ServerSocketChannel.open();
    channel.bind(new InetSocketAddress("127.0.0.1", 0), 64);
    address = (InetSocketAddress) channel.getLocalAddress();
    loop = new NioLoop(20_000_000L, 50_000_000L);
    pool = new TxPool(128);
    streams = new NioTcpStreamSource<>(pool, 256 * 1024, new Handler());
    listener = new NioTcpListenerSource<>(channel, 8, streams, new Acceptor());
    listener.registerOn(loop);
    streams.registerOn(loop);
    thread = LoopThread.start("nio-tcp-test-loop", loop::run, loop.started(), loop::stop);
  }

  @AfterEach
  void stop() throws Exception {
    for (SocketChannel client : opened) {
      client.close();
    }
    thread.close();
  }

  private final class Acceptor implements StreamAcceptor<Peer> {
    @Override
    public Peer accepted(InetSocketAddress from) {
      Peer peer = new Peer();
      peer.address = from;
      return peer;
    }

    @Override
    public void opened(Peer peer, long id) {
      peer.id = id;
      peers.add(peer);
    }
  }

  private final class Handler implements StreamHandler<Peer> {
    @Override
    public void received(Peer peer, ByteBuffer view, int length) {
      if (echo && !streams.send(peer.id, view)) {
        streams.abort(peer.id);
      }
    }

    @Override
    public void ended(Peer peer, int cause) {
      peer.endedWith = cause;
    }

    @Override
    public void released(Peer peer) {
      peer.released = true;
    }
  }

  // ------------------------------------------------------------------ specifications

  @Test
  void manyConnectionsAreAcceptedAndEachEchoesItsOwnBytes() throws Exception {
    List<SocketChannel> many = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      many.add(connect());
    }
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < many.size(); i++) {
        write(many.get(i), pattern(i * 1000 + round, 700));
      }
      for (int i = 0; i < many.size(); i++) {
        assertThat(read(many.get(i), 700)).isEqualTo(pattern(i * 1000 + round, 700));
      }
    }

    Await.until(
        "8 accepted and every byte counted",
        WAIT,
        () -> {
          LoopSnapshot s = loop.snapshot();
          return s.path(PathName.TCP_ACCEPT).packets() == 8
              && s.path(PathName.TCP_RX).bytes() == 8 * 20 * 700
              && s.path(PathName.TCP_TX).bytes() == 8 * 20 * 700;
        });
    assertThat(loop.snapshot().path(PathName.TCP_ACCEPT).eagain())
        .as("an accept that would block counts as EAGAIN")
        .isPositive();
    assertThat(peers.stream().map(p -> p.address.getPort()))
        .containsExactlyInAnyOrderElementsOf(many.stream().map(c -> localPort(c)).toList());
  }

  @Test
  void largeChunksSpanManySlotsAndLeaveInOrder() throws Exception {
    echo = false;
    SocketChannel client = connect();
    Peer peer = onlyPeer();
    int[] sizes = {100, 70_000, 3, 2048, 2049, 30_000, 1};
    int total = 0;
    for (int size : sizes) {
      int offset = total;
      boolean taken = onLoop(() -> streams.send(peer.id, ByteBuffer.wrap(pattern(offset, size))));
      assertThat(taken).as("chunk of %d bytes queued", size).isTrue();
      total += size;
    }

    byte[] all = read(client, total);

    assertThat(all).isEqualTo(pattern(0, total));
    assertThat(onLoop(() -> streams.queuedBytes(peer.id))).isZero();
    Await.until("every slot back in the pool", WAIT, () -> pool.free() == pool.size());
  }

  @Test
  void shortWritesContinueOnWritabilityUnderAFullSocket() throws Exception {
    echo = false;
    onLoop(() -> {
      streams.setSocketBuffer(16 * 1024);
      return null;
    });
    SocketChannel client = connect(1024);
    Peer peer = onlyPeer();
    int total = 1 << 20;
    int chunk = 1500;
    int[] queued = {0};
    ByteBuffer received = ByteBuffer.allocate(total);
    ByteBuffer some = ByteBuffer.allocate(8192);
    while (received.hasRemaining()) {
      // Fill until the socket is stuck (bytes still queued when the next command runs): the
      // write that fills the socket takes only what fits, the rest waits for writability.
      boolean stuck =
          onLoop(() -> {
            boolean before = streams.queuedBytes(peer.id) > 0;
            while (queued[0] < total && streams.hasRoom(peer.id, chunk)) {
              int size = Math.min(chunk, total - queued[0]);
              assertThat(streams.send(peer.id, ByteBuffer.wrap(pattern(queued[0], size)))).isTrue();
              queued[0] += size;
            }
            return before;
          });
      if (stuck || queued[0] == total) {
        some.clear().limit(Math.min(some.capacity(), received.remaining()));
        client.read(some);
        received.put(some.flip());
      }
    }

    assertThat(received.array()).isEqualTo(pattern(0, total));
    assertThat(onLoop(() -> streams.partialSends()))
        .as("a full socket took part of what it was given at least once")
        .isPositive();
    assertThat(onLoop(() -> streams.refused())).as("hasRoom kept every send acceptable").isZero();
    assertThat(loop.snapshot().path(PathName.TCP_TX).inFlight()).isZero();
    Await.until("every slot back in the pool", WAIT, () -> pool.free() == pool.size());
  }

  @Test
  void aChunkPastTheBoundIsRefusedWholeAndCounted() throws Exception {
    echo = false;
    onLoop(() -> {
      streams.setSocketBuffer(8 * 1024);
      return null;
    });
    connect();
    Peer peer = onlyPeer();

    boolean small = onLoop(() -> streams.send(peer.id, ByteBuffer.wrap(pattern(0, 6000))));
    boolean tooMuch = onLoop(() -> streams.hasRoom(peer.id, 10_000));
    boolean refused = onLoop(() -> streams.send(peer.id, ByteBuffer.wrap(pattern(0, 10_000))));

    assertThat(small).isTrue();
    assertThat(tooMuch).isFalse();
    assertThat(refused).isFalse();
    Await.until(
        "the refusal counted on tcp.tx",
        WAIT,
        () -> loop.snapshot().path(PathName.TCP_TX).slotExhausted() == 1);
  }

  @Test
  void whileEveryTxSlotIsTakenBytesWaitInTheSocketAndNoneIsLost() throws Exception {
    SocketChannel client = connect();
    Peer peer = onlyPeer();
    List<TxPool.Slot> taken =
        onLoop(() -> {
          List<TxPool.Slot> all = new ArrayList<>();
          TxPool.Slot slot;
          while ((slot = pool.acquire()) != null) {
            all.add(slot);
          }
          return all;
        });

    write(client, pattern(3, 5000));
    Await.until(
        "the read waiting for a slot, counted on tcp.rx",
        WAIT,
        () -> loop.snapshot().path(PathName.TCP_RX).slotExhausted() > 0);
    assertThat(loop.snapshot().path(PathName.TCP_RX).bytes()).as("nothing read yet").isZero();
    onLoop(() -> {
      taken.forEach(pool::release);
      return null;
    });

    assertThat(read(client, 5000)).as("echoed once slots came back").isEqualTo(pattern(3, 5000));
    assertThat(onLoop(() -> streams.count())).isEqualTo(1);
    assertThat(peer.endedWith).isNull();
  }

  @Test
  void anOrderlyEofEndsTheStreamWithCauseZeroAndReleasesIt() throws Exception {
    SocketChannel client = connect();
    Peer peer = onlyPeer();
    write(client, pattern(1, 10));
    assertThat(read(client, 10)).isEqualTo(pattern(1, 10));

    client.shutdownOutput();

    Await.until("the stream released", WAIT, () -> peer.released);
    assertThat(peer.endedWith).isZero();
    assertThat(readOrEnd(client)).as("the server closed its side").isEqualTo(-1);
    assertThat(onLoop(() -> streams.count())).isZero();
  }

  @Test
  void aResetEndsTheStreamWithAnErrno() throws Exception {
    SocketChannel client = connect();
    Peer peer = onlyPeer();
    client.setOption(StandardSocketOptions.SO_LINGER, 0);

    client.close();

    Await.until("the stream released", WAIT, () -> peer.released);
    assertThat(peer.endedWith).as("a failure, not an orderly end").isNegative();
  }

  @Test
  void pastMaxConnectionsNewOnesAreClosedAndRaisingTheLimitAdmitsThem() throws Exception {
    setMaxConnections(2);
    SocketChannel first = connect();
    SocketChannel second = connect();
    Await.until("two streams open", WAIT, () -> peers.size() == 2);

    SocketChannel third = SocketChannel.open(address);
    opened.add(third);
    assertThat(readOrEnd(third)).as("refused: closed at once").isEqualTo(-1);
    Await.until(
        "the refusal counted on tcp.accept",
        WAIT,
        () -> loop.snapshot().path(PathName.TCP_ACCEPT).slotExhausted() == 1);

    setMaxConnections(3);
    SocketChannel fourth = connect();
    write(fourth, pattern(4, 50));
    assertThat(read(fourth, 50)).isEqualTo(pattern(4, 50));

    setMaxConnections(1);
    for (SocketChannel kept : List.of(first, second, fourth)) {
      write(kept, pattern(9, 20));
      assertThat(read(kept, 20)).as("lowering never closes existing").isEqualTo(pattern(9, 20));
    }
    assertThat(onLoop(() -> streams.count())).isEqualTo(3);
    assertThat(onLoop(() -> listener.refused())).isEqualTo(1);
  }

  @Test
  void closeSendsWhatIsQueuedThenEndsTheStream() throws Exception {
    echo = false;
    SocketChannel client = connect();
    Peer peer = onlyPeer();

    onLoop(() -> {
      streams.send(peer.id, ByteBuffer.wrap(pattern(5, 50_000)));
      streams.close(peer.id);
      return null;
    });

    assertThat(read(client, 50_000)).isEqualTo(pattern(5, 50_000));
    assertThat(readOrEnd(client)).isEqualTo(-1);
    Await.until("the stream released", WAIT, () -> peer.released);
    assertThat(peer.endedWith).as("a local close is not the peer ending").isNull();
  }

  @Test
  void aClosedStreamWhosePeerReadsNothingIsAbortedAfterTheLinger() throws Exception {
    echo = false;
    onLoop(() -> {
      streams.setSocketBuffer(8 * 1024);
      return null;
    });
    connect(1024);
    Peer peer = onlyPeer();
    Await.until(
        "the socket full and bytes waiting for writability",
        WAIT,
        () -> {
          try {
            return onLoop(() -> {
              boolean stuck = streams.queuedBytes(peer.id) > 0;
              while (streams.hasRoom(peer.id, 2048)) {
                streams.send(peer.id, ByteBuffer.wrap(pattern(0, 2048)));
              }
              return stuck;
            });
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    long closedAt = System.nanoTime();

    boolean lingering =
        onLoop(() -> {
          streams.close(peer.id);
          return streams.count() == 1 && !peer.released;
        });

    assertThat(lingering).as("held while its bytes may still go out").isTrue();
    Await.until("the stream released", WAIT, () -> peer.released);
    assertThat(System.nanoTime() - closedAt)
        .as("it lingered before giving up")
        .isGreaterThanOrEqualTo(StreamSender.LINGER_NANOS);
    assertThat(onLoop(() -> streams.count())).isZero();
    Await.until("every slot back in the pool", WAIT, () -> pool.free() == pool.size());
  }

  @Test
  void abortDropsWhatIsQueuedAndReleasesAtOnce() throws Exception {
    echo = false;
    onLoop(() -> {
      streams.setSocketBuffer(8 * 1024);
      return null;
    });
    SocketChannel client = connect(1024);
    Peer peer = onlyPeer();
    onLoop(() -> streams.send(peer.id, ByteBuffer.wrap(pattern(0, 8 * 1024))));

    boolean gone =
        onLoop(() -> {
          streams.abort(peer.id);
          return peer.released && streams.channel(peer.id) == null;
        });

    assertThat(gone).isTrue();
    assertThat(peer.endedWith).as("an abort is not the peer ending").isNull();
    Await.until("every slot back in the pool", WAIT, () -> pool.free() == pool.size());
    assertThat(readOrEnd(client)).as("the connection ended").isNotZero();
  }

  @Test
  void socketOptionsApplyToOpenStreamsAndNewOnes() throws Exception {
    connect();
    Peer first = onlyPeer();
    SocketChannel firstChannel = onLoop(() -> streams.channel(first.id));
    assertThat(firstChannel.getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();

    onLoop(() -> {
      streams.setSocketBuffer(48 * 1024);
      return null;
    });
    connect();
    SocketChannel secondChannel = onLoop(() -> streams.channel(peers.get(1).id));

    for (SocketChannel channel : List.of(firstChannel, secondChannel)) {
      // The kernel stores twice the value asked for; Java halves it again when asked.
      assertThat(channel.getOption(StandardSocketOptions.SO_SNDBUF)).isEqualTo(48 * 1024);
      assertThat(channel.getOption(StandardSocketOptions.SO_RCVBUF)).isEqualTo(48 * 1024);
    }
  }

  @Test
  void aRecycledSlotGetsANewGenerationAndTheOldIdIsDead() throws Exception {
    SocketChannel first = connect();
    Peer old = onlyPeer();
    first.close();
    opened.remove(first);
    Await.until("the first stream released", WAIT, () -> old.released);

    SocketChannel second = connect();
    Await.until("a second stream", WAIT, () -> peers.size() == 2);
    Peer current = peers.get(1);

    assertThat((int) current.id).as("same slot").isEqualTo((int) old.id);
    assertThat(current.id).isNotEqualTo(old.id);
    assertThat(onLoop(() -> streams.send(old.id, ByteBuffer.wrap(pattern(0, 5))))).isFalse();
    assertThat(onLoop(() -> streams.channel(old.id))).isNull();
    write(second, pattern(2, 30));
    assertThat(read(second, 30)).isEqualTo(pattern(2, 30));
  }

  // ------------------------------------------------------------------ helpers

  private SocketChannel connect() throws IOException {
    return connect(0);
  }

  /** A connected client; with {@code receiveBuffer} > 0 its SO_RCVBUF is set before connecting. */
  private SocketChannel connect(int receiveBuffer) throws IOException {
    int before = peers.size();
    SocketChannel client = SocketChannel.open();
    opened.add(client);
    if (receiveBuffer > 0) {
      client.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
    }
    client.connect(address);
    Await.until("the connection accepted", WAIT, () -> peers.size() > before);
    return client;
  }

  private Peer onlyPeer() {
    assertThat(peers).hasSize(1);
    return peers.getFirst();
  }

  private void setMaxConnections(int max) throws Exception {
    onLoop(() -> {
      listener.setMaxConnections(max);
      return null;
    });
  }

  private <T> T onLoop(Callable<T> command) throws Exception {
    return loop.call(command).get(5, TimeUnit.SECONDS);
  }

  private static byte[] pattern(int seed, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ((seed + i) % 251);
    }
    return bytes;
  }

  private static void write(SocketChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Reads exactly {@code length} bytes, bounded in time by a reader thread's join. */
  private static byte[] read(SocketChannel channel, int length) throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    Thread reader =
        Thread.ofPlatform()
            .start(() -> {
              try {
                while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                  // keep reading
                }
              } catch (IOException e) {
                // the assertion below reports the shortfall
              }
            });
    reader.join(WAIT.toMillis());
    assertThat(buffer.position()).as("bytes read").isEqualTo(length);
    return buffer.array();
  }

  /** The next read's result: -1 at EOF, or -2 for a reset. */
  private static int readOrEnd(SocketChannel channel) throws Exception {
    int[] result = {0};
    Thread reader =
        Thread.ofPlatform()
            .start(() -> {
              try {
                ByteBuffer one = ByteBuffer.allocate(1 << 16);
                int n;
                do {
                  one.clear();
                  n = channel.read(one);
                } while (n > 0);
                result[0] = n;
              } catch (IOException e) {
                result[0] = -2;
              }
            });
    reader.join(WAIT.toMillis());
    return result[0];
  }

  private static int localPort(SocketChannel channel) {
    try {
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

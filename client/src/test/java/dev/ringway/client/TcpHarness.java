package dev.ringway.client;

import dev.ringway.core.conn.Connection;
import dev.ringway.uring.LinuxFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link HarnessServer} over TCP: a plain {@link ServerSocketChannel} on 127.0.0.1 inside a
 * test's network namespace, one server connection per accepted stream, driven by one platform
 * thread with a selector (no io_uring). Writes are blocking-simple: the harness sends little and
 * the client reads all the time.
 */
final class TcpHarness implements AutoCloseable {
  final HarnessServer<SocketChannel> server;
  final AtomicInteger accepted = new AtomicInteger();
  private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
  private final Map<SocketChannel, Connection> streams = new HashMap<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Selector selector;

  private TcpHarness(TestPki pki, String namespace, int port) throws Exception {
    this.server =
        new HarnessServer<>(
            pki.serverTls(),
            pki.authenticator(),
            workers,
            this::post,
            System::nanoTime,
            new HarnessServer.Wire<>() {
              @Override
              public void send(SocketChannel peer, ByteBuffer bytes) {
                write(peer, bytes);
              }

              @Override
              public void ended(SocketChannel peer) {
                streams.remove(peer);
                closeQuietly(peer);
              }
            });
    this.thread = Thread.ofPlatform().name("harness-tcp").start(() -> serve(namespace, port));
  }

  /** A harness on 127.0.0.1:{@code port} (0: any) in network namespace {@code namespace}. */
  static TcpHarness start(TestPki pki, String namespace, int port) throws Exception {
    TcpHarness harness = new TcpHarness(pki, namespace, port);
    harness.bound.get(10, TimeUnit.SECONDS);
    return harness;
  }

  InetSocketAddress address() {
    return bound.join();
  }

  /** Sends {@code packet} through the tunnel to every online client (on the harness thread). */
  void sendInside(byte[] packet) {
    post(() -> server.sendInside(packet));
  }

  /** Closes every accepted stream at once, without Goodbye: the client sees its stream end. */
  void dropStreams() {
    post(() -> {
      for (SocketChannel channel : Map.copyOf(streams).keySet()) {
        closeQuietly(channel);
        Connection connection = streams.remove(channel);
        connection.streamClosed();
      }
    });
  }

  /** Writes {@code junk} into every accepted stream, as a broken or hostile server would. */
  void sendJunk(byte[] junk) {
    post(() -> {
      for (SocketChannel channel : streams.keySet()) {
        write(channel, ByteBuffer.wrap(junk));
      }
    });
  }

  @Override
  public void close() throws Exception {
    closed = true;
    Selector current = selector;
    if (current != null) {
      current.wakeup();
    }
    thread.join(5000);
    workers.shutdownNow();
  }

  private void post(Runnable command) {
    commands.add(command);
    Selector current = selector;
    if (current != null) {
      current.wakeup();
    }
  }

  private static void write(SocketChannel peer, ByteBuffer bytes) {
    try {
      while (bytes.hasRemaining()) {
        peer.write(bytes);
      }
    } catch (IOException e) {
      // The stream is broken; its read side will notice and end the connection.
      bytes.position(bytes.limit());
    }
  }

  private void serve(String namespace, int port) {
    try {
      LinuxFiles.enterNetworkNamespace(namespace);
      try (ServerSocketChannel listener = ServerSocketChannel.open();
          Selector opened = Selector.open()) {
        listener.bind(new InetSocketAddress("127.0.0.1", port));
        listener.configureBlocking(false);
        listener.register(opened, SelectionKey.OP_ACCEPT);
        selector = opened;
        bound.complete((InetSocketAddress) listener.getLocalAddress());
        ByteBuffer buffer = ByteBuffer.allocate(32 * 1024);
        while (!closed) {
          opened.select(10);
          for (SelectionKey key : opened.selectedKeys()) {
            if (key.isAcceptable()) {
              accept(listener, opened);
            } else if (key.isReadable()) {
              read((SocketChannel) key.channel(), buffer);
            }
          }
          opened.selectedKeys().clear();
          Runnable command;
          while ((command = commands.poll()) != null) {
            command.run();
          }
          server.tick();
        }
        streams.keySet().forEach(TcpHarness::closeQuietly);
      }
    } catch (Exception e) {
      bound.completeExceptionally(e);
      if (!closed) {
        throw new IllegalStateException("harness server failed", e);
      }
    }
  }

  private void accept(ServerSocketChannel listener, Selector opened) throws IOException {
    SocketChannel channel;
    while ((channel = listener.accept()) != null) {
      channel.configureBlocking(false);
      channel.register(opened, SelectionKey.OP_READ);
      streams.put(channel, server.acceptStream(channel));
      accepted.incrementAndGet();
    }
  }

  private void read(SocketChannel channel, ByteBuffer buffer) {
    Connection connection = streams.get(channel);
    if (connection == null) {
      closeQuietly(channel);
      return;
    }
    int read;
    try {
      read = channel.read(buffer.clear());
    } catch (IOException e) {
      read = -1;
    }
    if (read < 0) {
      streams.remove(channel);
      closeQuietly(channel);
      connection.streamClosed();
    } else if (read > 0) {
      connection.receiveStream(buffer.flip());
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing a broken socket: nothing to do.
    }
  }
}

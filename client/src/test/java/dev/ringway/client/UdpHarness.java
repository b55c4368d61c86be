package dev.ringway.client;

import dev.ringway.uring.LinuxFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The {@link HarnessServer} on a real UDP socket: a plain {@link DatagramChannel} on 127.0.0.1
 * inside a test's network namespace, driven by one platform thread with a selector (no io_uring).
 * It stands in for the real server, which is built separately.
 */
final class UdpHarness implements AutoCloseable {
  final HarnessServer<SocketAddress> server;
  private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Selector selector;
  private DatagramChannel channel;

  private UdpHarness(TestPki pki, String namespace, int port) throws Exception {
    this.server =
        new HarnessServer<>(
            pki.serverTls(),
            pki.authenticator(),
            workers,
            this::post,
            System::nanoTime,
            this::send);
    this.thread = Thread.ofPlatform().name("harness-server").start(() -> serve(namespace, port));
  }

  /** A harness on 127.0.0.1:{@code port} (0: any) in network namespace {@code namespace}. */
  static UdpHarness start(TestPki pki, String namespace, int port) throws Exception {
    UdpHarness harness = new UdpHarness(pki, namespace, port);
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

  private void send(SocketAddress peer, ByteBuffer datagram) {
    try {
      channel.send(datagram, peer);
    } catch (IOException e) {
      // Like a real server, the harness loses a datagram it cannot send and carries on.
      System.err.println("harness: send to " + peer + " failed: " + e);
    }
  }

  private void serve(String namespace, int port) {
    try {
      LinuxFiles.enterNetworkNamespace(namespace);
      try (DatagramChannel opened = DatagramChannel.open();
          Selector opener = Selector.open()) {
        channel = opened;
        channel.bind(new InetSocketAddress("127.0.0.1", port));
        channel.configureBlocking(false);
        channel.register(opener, SelectionKey.OP_READ);
        selector = opener;
        bound.complete((InetSocketAddress) channel.getLocalAddress());
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        while (!closed) {
          opener.select(10);
          opener.selectedKeys().clear();
          SocketAddress peer;
          while ((peer = channel.receive(buffer.clear())) != null) {
            server.receive(peer, buffer.flip());
          }
          Runnable command;
          while ((command = commands.poll()) != null) {
            command.run();
          }
          server.tick();
        }
      }
    } catch (Exception e) {
      bound.completeExceptionally(e);
      if (!closed) {
        throw new IllegalStateException("harness server failed", e);
      }
    }
  }
}

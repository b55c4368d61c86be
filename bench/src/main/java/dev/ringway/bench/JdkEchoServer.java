package dev.ringway.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/** The baseline: one thread blocked in {@link DatagramChannel#receive}, then {@code send}. */
final class JdkEchoServer implements EchoServer {
  private final DatagramChannel channel;
  private final InetSocketAddress address;
  private final Thread thread;

  private JdkEchoServer(DatagramChannel channel) throws IOException {
    this.channel = channel;
    this.address = (InetSocketAddress) channel.getLocalAddress();
    this.thread = Thread.ofPlatform().name("jdk-echo").start(this::run);
  }

  static JdkEchoServer start() throws IOException {
    DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
    channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
    channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
    channel.bind(new InetSocketAddress("127.0.0.1", 0));
    return new JdkEchoServer(channel);
  }

  private void run() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
    try {
      while (true) {
        buffer.clear();
        SocketAddress sender = channel.receive(buffer);
        buffer.flip();
        channel.send(buffer, sender);
      }
    } catch (ClosedChannelException e) {
      // close() ends the loop this way.
    } catch (IOException e) {
      throw new IllegalStateException("the JDK echo failed", e);
    }
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    channel.close();
    thread.join(5_000);
  }
}

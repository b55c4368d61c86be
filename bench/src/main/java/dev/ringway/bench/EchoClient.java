package dev.ringway.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The load generator every server faces: a connected, blocking JDK {@link DatagramChannel} that
 * keeps a window of datagrams in flight, receiving one echo and sending one new datagram per step.
 * It allocates nothing per datagram, so {@code -prof gc}'s bytes per operation are the server's.
 */
public final class EchoClient implements AutoCloseable {
  private final DatagramChannel channel;
  private final ByteBuffer out;
  private final ByteBuffer in = ByteBuffer.allocateDirect(2048);

  /** A client of the server at {@code server} that sends datagrams of {@code payloadBytes}. */
  public EchoClient(InetSocketAddress server, int payloadBytes) throws IOException {
    channel = DatagramChannel.open(StandardProtocolFamily.INET);
    channel.setOption(StandardSocketOptions.SO_RCVBUF, EchoServer.SOCKET_BUFFER_BYTES);
    channel.setOption(StandardSocketOptions.SO_SNDBUF, EchoServer.SOCKET_BUFFER_BYTES);
    channel.bind(new InetSocketAddress("127.0.0.1", 0));
    channel.connect(server);
    out = ByteBuffer.allocateDirect(payloadBytes);
    for (int i = 0; i < payloadBytes; i++) {
      out.put(i, (byte) i);
    }
  }

  /** Puts {@code window} datagrams in flight. */
  public void fill(int window) throws IOException {
    for (int i = 0; i < window; i++) {
      send();
    }
  }

  /**
   * Waits for the next echo, sends a datagram in its place, and returns the echo's length. A
   * datagram the kernel drops shrinks the window for good, so this blocks forever once the whole
   * window is lost; on loopback with megabyte socket buffers that does not happen in practice.
   */
  public int echo() throws IOException {
    in.clear();
    int length = channel.read(in);
    send();
    return length;
  }

  private void send() throws IOException {
    out.clear();
    channel.write(out);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

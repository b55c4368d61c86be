package dev.ringway.bench;

import java.net.InetSocketAddress;

/**
 * A UDP server on 127.0.0.1 that sends every datagram back to its sender, running on threads of its
 * own until closed.
 */
public sealed interface EchoServer extends AutoCloseable
    permits RingwayEchoServer, NettyEchoServer, JdkEchoServer {

  /** Bytes of kernel socket buffer each server asks for, so a full window never overflows. */
  int SOCKET_BUFFER_BYTES = 1 << 20;

  /** Where it listens. */
  InetSocketAddress address();

  @Override
  void close() throws Exception;

  /** The servers compared; the names are the benchmark's {@code server} parameter values. */
  enum Kind {
    /** Ringway's {@code EventLoop} driving a {@code UdpSource} that echoes from {@code TxPool}. */
    RINGWAY,
    /** Netty 4.2's {@code IoUringDatagramChannel} on one {@code IoUringIoHandler} thread. */
    NETTY_IO_URING,
    /** Netty 4.2's {@code EpollDatagramChannel} on one {@code EpollIoHandler} thread. */
    NETTY_EPOLL,
    /** One platform thread in a blocking {@code DatagramChannel.receive}/{@code send} loop. */
    JDK_CHANNEL;

    /** Starts a server of this kind and returns once it is ready for datagrams. */
    public EchoServer start() throws Exception {
      return switch (this) {
        case RINGWAY -> RingwayEchoServer.start();
        case NETTY_IO_URING -> NettyEchoServer.start(NettyEchoServer.Transport.IO_URING);
        case NETTY_EPOLL -> NettyEchoServer.start(NettyEchoServer.Transport.EPOLL);
        case JDK_CHANNEL -> JdkEchoServer.start();
      };
    }
  }
}

package dev.ringway.bench;

import dev.ringway.uring.RingOptions;
import java.net.InetSocketAddress;

/**
 * A UDP server on 127.0.0.1 that sends every datagram back to its sender, running on threads of its
 * own until closed.
 */
public sealed interface EchoServer extends AutoCloseable
    permits RingwayEchoServer, NettyEchoServer, JdkEchoServer {

  /** Bytes of kernel socket buffer each server asks for, so a full window never overflows. */
  int SOCKET_BUFFER_BYTES = 1 << 20;

  /** Submission entries of the Ringway servers' rings. */
  int RING_ENTRIES = 256;

  /** Where it listens. */
  InetSocketAddress address();

  @Override
  void close() throws Exception;

  /** The servers compared; the names are the benchmark's {@code server} parameter values. */
  enum Kind {
    /**
     * Ringway's {@code EventLoop} driving a {@code UdpSource} that echoes from {@code TxPool}, on
     * the server's default ring ({@code SINGLE_ISSUER | DEFER_TASKRUN | SUBMIT_ALL}).
     */
    RINGWAY,
    /**
     * The same on a ring set up with no flags: completion work runs when it arrives, not when the
     * loop enters, which is what decides the round-trip latency of a lone datagram.
     */
    RINGWAY_NO_DEFER_TASKRUN,
    /** Netty 4.2's {@code IoUringDatagramChannel} on one {@code IoUringIoHandler} thread. */
    NETTY_IO_URING,
    /** Netty 4.2's {@code EpollDatagramChannel} on one {@code EpollIoHandler} thread. */
    NETTY_EPOLL,
    /** One platform thread in a blocking {@code DatagramChannel.receive}/{@code send} loop. */
    JDK_CHANNEL;

    /** Starts a server of this kind and returns once it is ready for datagrams. */
    public EchoServer start() throws Exception {
      return switch (this) {
        case RINGWAY -> RingwayEchoServer.start(RingOptions.singleIssuer(RING_ENTRIES));
        case RINGWAY_NO_DEFER_TASKRUN -> RingwayEchoServer.start(RingOptions.of(RING_ENTRIES));
        case NETTY_IO_URING -> NettyEchoServer.start(NettyEchoServer.Transport.IO_URING);
        case NETTY_EPOLL -> NettyEchoServer.start(NettyEchoServer.Transport.EPOLL);
        case JDK_CHANNEL -> JdkEchoServer.start();
      };
    }
  }
}

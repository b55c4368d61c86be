package dev.ringway.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The echo written the way a Netty user would: one event-loop thread, a handler that writes each
 * datagram's buffer back to its sender and flushes once per read batch.
 */
final class NettyEchoServer implements EchoServer {
  private final EventLoopGroup group;
  private final Channel channel;

  enum Transport {
    IO_URING,
    EPOLL
  }

  private NettyEchoServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  static NettyEchoServer start(Transport transport) throws InterruptedException {
    IoHandlerFactory handlers;
    Class<? extends DatagramChannel> channelType;
    switch (transport) {
      case IO_URING -> {
        IoUring.ensureAvailability();
        handlers = IoUringIoHandler.newFactory();
        channelType = IoUringDatagramChannel.class;
      }
      case EPOLL -> {
        Epoll.ensureAvailability();
        handlers = EpollIoHandler.newFactory();
        channelType = EpollDatagramChannel.class;
      }
      default -> throw new AssertionError(transport);
    }
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, handlers);
    try {
      Channel channel =
          new Bootstrap()
              .group(group)
              .channel(channelType)
              .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
              .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
              .handler(new Echo())
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .sync()
              .channel();
      return new NettyEchoServer(group, channel);
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  @ChannelHandler.Sharable
  private static final class Echo extends SimpleChannelInboundHandler<DatagramPacket> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      ctx.write(new DatagramPacket(packet.content().retain(), packet.sender()));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }

  @Override
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() throws InterruptedException {
    channel.close().sync();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }
}

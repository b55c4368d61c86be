package dev.ringway.server;

import dev.ringway.config.Config;
import dev.ringway.config.ConfigOutcome;
import dev.ringway.core.auth.Authenticator;
import dev.ringway.core.auth.FailureRateLimiter;
import dev.ringway.core.auth.TokenVerifier;
import dev.ringway.core.auth.UserDatabase;
import dev.ringway.core.conn.ConnectionTimeouts;
import dev.ringway.core.conn.ServerSettings;
import dev.ringway.core.ip.IpPool;
import dev.ringway.core.ip.Ipv4Address;
import dev.ringway.core.ip.Ipv4Cidr;
import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.loop.EventLoop;
import dev.ringway.loop.Loop;
import dev.ringway.loop.MissingCapability;
import dev.ringway.loop.NioLoop;
import dev.ringway.loop.NioTcpListenerSource;
import dev.ringway.loop.NioTcpStreamSource;
import dev.ringway.loop.NioTunSource;
import dev.ringway.loop.NioUdpSource;
import dev.ringway.loop.TcpListenerSource;
import dev.ringway.loop.TcpStreamSource;
import dev.ringway.loop.TunSource;
import dev.ringway.loop.TxPool;
import dev.ringway.loop.UdpSource;
import dev.ringway.server.jmx.ConnectionTable;
import dev.ringway.server.jmx.JmxAgent;
import dev.ringway.server.jmx.LiveIo;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.LinuxSockets;
import dev.ringway.uring.Ring;
import dev.ringway.uring.RingOptions;
import dev.ringway.uring.Tun;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running server: the TUN device, the outside socket and the loop that drives both, built from
 * one {@link Config}. {@link #start} returns once the loop is up; {@link #stop} says Goodbye to
 * every client, cancels everything in flight and closes the ring.
 *
 * <p>{@code io.engine} picks the loop: {@code uring} an {@link EventLoop} on one io_uring ring,
 * {@code nio} a {@link NioLoop} on a selector, and {@code auto} the ring when this process may set
 * one up (tried once at start), else nio with a warning naming the cause. Only the sources differ;
 * the connection code ({@link DatagramServer}, {@link ServerConnections}) is the same on both. TCP
 * mode runs on io_uring only: {@code mode: tcp} with the nio engine is refused at start.
 */
final class Server {
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  private static final int TUN_RX = 8;
  private static final int TUN_TX = 9;
  private static final int UDP_RX = 10;
  private static final int UDP_TX = 11;
  private static final int TCP_ACCEPT = 12;
  private static final int TCP_RX = 13;
  private static final int TCP_TX = 14;
  private static final int LISTEN_BACKLOG = 128;
  private static final long GOODBYE_FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Loop loop;
  private final ServerConnections connections;
  private final StreamServer streams; // mode tcp, else null
  private final Thread thread;
  private final ExecutorService workers;
  private final JmxAgent jmx;

  private Server(
      Loop loop,
      ServerConnections connections,
      StreamServer streams,
      Thread thread,
      ExecutorService workers,
      JmxAgent jmx) {
    this.loop = loop;
    this.connections = connections;
    this.streams = streams;
    this.thread = thread;
    this.workers = workers;
    this.jmx = jmx;
  }

  /** A start-up failure the operator can act on; its message says what to do. */
  static final class StartupException extends Exception {
    StartupException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static Server start(Config config) throws StartupException {
    return start(config, null);
  }

  /**
   * As {@link #start(Config)}; {@code reloadSource} loads the configuration again (file and --set
   * values) for JMX {@code Server.reload()}, or is null when there is nothing to reload.
   */
  static Server start(Config config, Supplier<ConfigOutcome> reloadSource) throws StartupException {
    boolean tcp = config.mode() == Config.Mode.TCP;
    StateDirectory state = new StateDirectory(config.stateDir());
    Path cert = config.tls().cert();
    Path key = config.tls().key();
    TlsEndpoint tls;
    Authenticator authenticator;
    try {
      if (cert == null) {
        state.ensureCertificate();
        cert = state.certificate();
        key = state.key();
      }
      tls = TlsEndpoint.server(cert, key);
      authenticator = authenticator(config, state);
    } catch (Exception e) {
      throw new StartupException(e.getMessage(), e);
    }

    Config.Network network = config.network();
    Ipv4Address serverIp = ipv4(network.serverIp());
    Ipv4Address clientIp = ipv4(network.clientIp());
    Ipv4Address dnsIp = ipv4(network.dnsIp());
    Ipv4Cidr range = Ipv4Cidr.parse(network.pool().toString());
    IpPool pool = new IpPool(range, List.of(serverIp, clientIp, dnsIp), new SecureRandom());
    ServerSettings settings = new ServerSettings(clientIp, serverIp, dnsIp, network.mtu());
    ConnectionTimeouts timeouts =
        new ConnectionTimeouts(
            config.session().staleTimeout(),
            config.session().idleTimeout(),
            config.keepalive().interval(),
            config.keepalive().timeout());

    boolean nio = usesNio(config);
    Tun tun;
    try {
      tun = Tun.open(network.tun(), !config.io().tun().blocking());
      tun.configure(network.serverIp(), network.pool().prefixLength(), network.mtu());
    } catch (LinuxException e) {
      throw new StartupException(MissingCapability.tun(e), e);
    }

    InetSocketAddress bind = new InetSocketAddress(config.bind().host(), config.bind().port());
    ExecutorService workers =
        Executors.newFixedThreadPool(
            2, Thread.ofPlatform().name("ringway-worker-", 0).daemon(true).factory());
    Loop loop;
    ServerConnections connections;
    ConnectionTable table;
    StreamServer streams = null;
    LiveIo live;
    if (nio) {
      try {
        NioLoop nioLoop = new NioLoop(TICK_NANOS, config.stats().interval().toNanos());
        loop = nioLoop;
        TxPool txPool = new TxPool(config.io().tx().slots());
        connections = new ServerConnections(loop, txPool, authenticator, workers);
        NioTunSource tunSource = new NioTunSource(tun, txPool, connections::insidePacket);
        tunSource.registerOn(nioLoop);
        if (tcp) {
          streams = new StreamServer(loop, tls, settings, pool, timeouts, connections);
          NioTcpStreamSource<StreamServer.Peer> streamSource =
              new NioTcpStreamSource<>(txPool, config.io().tcp().socketBuffer(), streams);
          NioTcpListenerSource listener =
              new NioTcpListenerSource(
                  listenChannel(bind),
                  config.io().tcp().maxConnections(),
                  streamSource,
                  streams.acceptor(streamSource));
          listener.registerOn(nioLoop);
          streamSource.registerOn(nioLoop);
          streams.attach(tunSource, streamSource, listener::setMaxConnections);
          table = ConnectionTable.of(streams::connections, streams::peerOf);
          live = new LiveIo(loop, null, txPool, null, streams);
        } else {
          DatagramServer datagrams =
              new DatagramServer(loop, txPool, tls, settings, pool, timeouts, connections, false);
          NioUdpSource udp = new NioUdpSource(bindChannel(bind), txPool, datagrams::datagram);
          udp.setSocketBuffer(config.io().udp().socketBuffer());
          udp.registerOn(nioLoop);
          datagrams.attach(tunSource, udp);
          table = ConnectionTable.of(datagrams::connections, datagrams::peerOf);
          live = new LiveIo(loop, null, txPool, udp, null);
          if (bind.getAddress().isAnyLocalAddress()) {
            log.info(
                "nio engine on a wildcard bind: replies leave from the address the kernel routes"
                    + " them from, not necessarily the one a client wrote to (DatagramChannel has"
                    + " no IP_PKTINFO); bind one address if clients reach this host on several");
          }
        }
      } catch (IOException e) {
        workers.shutdownNow();
        closeQuietly(tun);
        throw new StartupException("cannot set up the nio engine: " + e.getMessage(), e);
      }
    } else {
      int socket;
      try {
        socket =
            LinuxSockets.socketFor(bind, tcp ? LinuxSockets.SOCK_STREAM : LinuxSockets.SOCK_DGRAM);
        LinuxSockets.setOption(socket, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_REUSEADDR, 1);
        LinuxSockets.bind(socket, bind);
        if (tcp) {
          LinuxSockets.listen(socket, LISTEN_BACKLOG);
        }
      } catch (LinuxException e) {
        workers.shutdownNow();
        closeQuietly(tun);
        throw new StartupException(
            "cannot bind " + config.mode() + " " + bind + ": " + e.getMessage(), e);
      }

      try {
        EventLoop ringLoop =
            new EventLoop(ringOptions(config), TICK_NANOS, config.stats().interval().toNanos());
        loop = ringLoop;
        TxPool txPool = new TxPool(config.io().tx().slots());
        connections = new ServerConnections(loop, txPool, authenticator, workers);
        TunSource tunSource =
            new TunSource(
                tun,
                config.io().tun().rxSlots(),
                config.io().tun().blocking(),
                txPool,
                TUN_RX,
                TUN_TX,
                connections::insidePacket);
        tunSource.registerOn(ringLoop);
        if (tcp) {
          streams = new StreamServer(loop, tls, settings, pool, timeouts, connections);
          TcpStreamSource<StreamServer.Peer> streamSource =
              new TcpStreamSource<>(
                  txPool, TCP_RX, TCP_TX, config.io().tcp().socketBuffer(), streams);
          TcpListenerSource listener =
              new TcpListenerSource(
                  socket,
                  TCP_ACCEPT,
                  config.io().tcp().maxConnections(),
                  streamSource,
                  streams.acceptor(streamSource));
          listener.registerOn(ringLoop);
          streamSource.registerOn(ringLoop);
          streams.attach(tunSource, streamSource, listener::setMaxConnections);
          table = ConnectionTable.of(streams::connections, streams::peerOf);
          live = new LiveIo(loop, tunSource, txPool, null, streams);
        } else {
          DatagramServer datagrams =
              new DatagramServer(
                  loop,
                  txPool,
                  tls,
                  settings,
                  pool,
                  timeouts,
                  connections,
                  bind.getAddress().isAnyLocalAddress());
          UdpSource udp =
              new UdpSource(
                  socket, config.io().udp().rxSlots(), txPool, UDP_RX, UDP_TX, datagrams::datagram);
          udp.setSocketBuffer(config.io().udp().socketBuffer());
          udp.registerOn(ringLoop);
          datagrams.attach(tunSource, udp);
          table = ConnectionTable.of(datagrams::connections, datagrams::peerOf);
          live = new LiveIo(loop, tunSource, txPool, udp, null);
        }
      } catch (LinuxException e) {
        workers.shutdownNow();
        closeQuietly(tun);
        throw new StartupException("cannot set up the loop: " + e.getMessage(), e);
      }
    }

    Thread thread =
        Thread.ofPlatform()
            .name("ringway-loop")
            .start(() -> {
              try {
                loop.run();
              } catch (IOException e) {
                log.error("the loop failed: {}", e.getMessage());
              }
            });
    try {
      loop.started().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      workers.shutdownNow();
      String message =
          cause instanceof LinuxException linux && loop instanceof EventLoop
              ? MissingCapability.ring(linux)
              : "the loop did not start: " + cause;
      throw new StartupException(message, cause);
    }
    JmxAgent jmx;
    try {
      jmx = JmxAgent.start(config, live, table, reloadSource);
    } catch (JmxAgent.StartException e) {
      loop.stop();
      try {
        thread.join(2000);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      workers.shutdownNow();
      throw new StartupException(e.getMessage(), e);
    }
    log.info(
        "ringway server {} on {} {} ({} engine) — TUN {} {}/{} mtu {}, pool {}",
        Server.class.getPackage().getImplementationVersion() == null
            ? "(development)"
            : Server.class.getPackage().getImplementationVersion(),
        config.mode(),
        bind,
        loop.engine(),
        tun.name(),
        network.serverIp().getHostAddress(),
        network.pool().prefixLength(),
        network.mtu(),
        network.pool());
    if (config.tls().cert() == null
        || (config.auth().users() == null && config.auth().tokenPublicKey() == null)) {
      log.info(
          "connect a client with: ./ringway client --set server=<this host>:{} --set tls.ca={}"
              + " --set auth.user={} --set auth.passwordFile={}",
          bind.getPort(),
          cert,
          StateDirectory.DEMO_USER,
          state.demoPassword());
    }
    return new Server(loop, connections, streams, thread, workers, jmx);
  }

  /** Reloads the configuration file (SIGHUP); see {@link JmxAgent#reload()}. */
  String reload() {
    return jmx.reload();
  }

  /** The loop, for statistics and live changes. */
  Loop loop() {
    return loop;
  }

  /** Says Goodbye to every client, stops the loop and waits for it (at most about 2 s). */
  void stop() {
    jmx.close();
    try {
      loop.call(
              () -> {
                connections.disconnectAll();
                return null;
              })
          .get(500, TimeUnit.MILLISECONDS);
      if (streams != null) {
        awaitStreamsFlushed();
      }
    } catch (Exception e) {
      log.warn("could not say goodbye to every client: {}", e.toString());
    }
    loop.stop();
    try {
      thread.join(1500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
  }

  /**
   * Waits (at most {@link #GOODBYE_FLUSH_NANOS}) until every TCP stream has sent its Goodbye and
   * close_notify and closed: a stopping loop cancels sends that are still queued.
   */
  private void awaitStreamsFlushed() throws Exception {
    long deadline = System.nanoTime() + GOODBYE_FLUSH_NANOS;
    while (loop.call(streams::streamCount).get(500, TimeUnit.MILLISECONDS) > 0
        && System.nanoTime() - deadline < 0) {
      Thread.sleep(5);
    }
  }

  /** Blocks until the loop thread ends. */
  void awaitTermination() throws InterruptedException {
    thread.join();
  }

  /**
   * Whether the server runs on the nio engine: {@code io.engine: nio}, or {@code auto} where this
   * process may not set up a ring (tried once; the warning names the cause and what to change).
   */
  private static boolean usesNio(Config config) {
    switch (config.io().engine()) {
      case URING -> {
        return false;
      }
      case NIO -> {
        return true;
      }
      default -> {
        try {
          Ring.open(ringOptions(config)).close();
          return false;
        } catch (LinuxException e) {
          log.warn(
              "io.engine auto: io_uring is unavailable ({}), running on the nio engine instead."
                  + " To run on io_uring: {}",
              e.errnoName(),
              MissingCapability.ring(e));
          return true;
        }
      }
    }
  }

  /** The nio engine's TCP listening socket, bound to {@code bind}. */
  private static ServerSocketChannel listenChannel(InetSocketAddress bind) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(bind, LISTEN_BACKLOG);
    } catch (IOException e) {
      channel.close();
      throw new IOException("cannot bind tcp " + bind + ": " + e.getMessage(), e);
    }
    return channel;
  }

  /** The nio engine's outside socket: a UDP channel bound to {@code bind}. */
  private static DatagramChannel bindChannel(InetSocketAddress bind) throws IOException {
    DatagramChannel channel =
        DatagramChannel.open(
            bind.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET);
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(bind);
    } catch (IOException e) {
      channel.close();
      throw new IOException("cannot bind udp " + bind + ": " + e.getMessage(), e);
    }
    return channel;
  }

  private static RingOptions ringOptions(Config config) {
    int entries = config.io().ring().entries();
    long idleMillis = config.io().ring().sqpollIdle().toMillis();
    RingOptions options =
        idleMillis > 0
            ? RingOptions.of(entries).withSqpoll((int) idleMillis)
            : RingOptions.singleIssuer(entries);
    return options.withCqEntries(config.io().ring().cqEntries());
  }

  private static Authenticator authenticator(Config config, StateDirectory state) throws Exception {
    Path users = config.auth().users();
    Path tokenKey = config.auth().tokenPublicKey();
    if (users == null && tokenKey == null) {
      state.ensureDemoUser();
      users = state.users();
    }
    Optional<UserDatabase> database =
        users == null ? Optional.empty() : Optional.of(UserDatabase.load(users));
    Optional<TokenVerifier> tokens =
        tokenKey == null
            ? Optional.empty()
            : Optional.of(TokenVerifier.fromPem(tokenKey, Clock.systemUTC()));
    return new Authenticator(database, tokens, FailureRateLimiter.standard(Clock.systemUTC()));
  }

  private static Ipv4Address ipv4(Inet4Address address) {
    return Ipv4Address.parse(address.getHostAddress());
  }

  private static void closeQuietly(Tun tun) {
    try {
      tun.close();
    } catch (LinuxException e) {
      log.debug("closing the TUN device: {}", e.getMessage());
    }
  }
}

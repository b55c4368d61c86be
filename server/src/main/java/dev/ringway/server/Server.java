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
import dev.ringway.loop.DataPlane;
import dev.ringway.loop.Engine;
import dev.ringway.loop.Loop;
import dev.ringway.loop.TunWriter;
import dev.ringway.loop.uring.MissingCapability;
import dev.ringway.server.jmx.ConnectionTable;
import dev.ringway.server.jmx.JmxAgent;
import dev.ringway.server.jmx.LiveIo;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.Tun;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
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
 * <p>{@code io.engine} picks the {@link Engine} ({@link Engines#choose}); it opens a {@link
 * DataPlane}; from there on nothing here knows which engine runs: the connection code ({@link
 * DatagramServer}, {@link StreamServer}, {@link ServerConnections}) sits on the data plane's seams
 * and JMX retunes through its knobs.
 */
final class Server {
  private static final Logger log = LoggerFactory.getLogger(Server.class);
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
    StateDirectory state = new StateDirectory(config.stateDir());
    Path cert = config.tls().cert() == null ? state.certificate() : config.tls().cert();
    TlsEndpoint tls;
    Authenticator authenticator;
    try {
      tls = tls(config, state);
      authenticator = authenticator(config, state);
    } catch (Exception e) {
      throw new StartupException(e.getMessage(), e);
    }
    Config.Network network = config.network();
    InetSocketAddress bind = new InetSocketAddress(config.bind().host(), config.bind().port());
    Engine engine = Engines.choose(config);
    Tun tun = openTun(config);
    ExecutorService workers =
        Executors.newFixedThreadPool(
            2, Thread.ofPlatform().name("ringway-worker-", 0).daemon(true).factory());
    DataPlane plane;
    ServerConnections connections;
    StreamServer streams = null;
    ConnectionTable table;
    Thread thread;
    try {
      plane = engine.open(Engines.settings(config, TICK_NANOS));
      Loop loop = plane.loop();
      connections = new ServerConnections(loop, plane.txPool(), authenticator, workers);
      TunWriter inside = plane.tun(tun, connections::insidePacket);
      Protocol protocol = protocol(config);
      if (config.mode() == Config.Mode.TCP) {
        streams =
            new StreamServer(
                loop, tls, protocol.settings, protocol.pool, protocol.timeouts, connections);
        streams.attach(inside, plane.listen(bind, streams, streams));
        table = ConnectionTable.of(streams::connections, streams::peerOf);
      } else {
        boolean wildcard = bind.getAddress().isAnyLocalAddress();
        DatagramServer datagrams =
            new DatagramServer(
                loop,
                plane.txPool(),
                tls,
                protocol.settings,
                protocol.pool,
                protocol.timeouts,
                connections,
                wildcard);
        datagrams.attach(inside, plane.bind(bind, datagrams::datagram));
        table = ConnectionTable.of(datagrams::connections, datagrams::peerOf);
      }
      thread = plane.start("ringway-loop");
    } catch (IOException e) {
      workers.shutdownNow();
      closeQuietly(tun);
      throw new StartupException(e.getMessage(), e);
    }
    JmxAgent jmx;
    try {
      jmx = JmxAgent.start(config, new LiveIo(plane.loop(), plane.knobs()), table, reloadSource);
    } catch (JmxAgent.StartException e) {
      plane.loop().stop();
      try {
        thread.join(2000);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      workers.shutdownNow();
      throw new StartupException(e.getMessage(), e);
    }
    logStarted(config, bind, plane.loop(), tun, cert, state);
    return new Server(plane.loop(), connections, streams, thread, workers, jmx);
  }

  /** The protocol's settings for every connection: addresses, pool and timeouts. */
  private record Protocol(ServerSettings settings, IpPool pool, ConnectionTimeouts timeouts) {}

  private static Protocol protocol(Config config) {
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
    return new Protocol(settings, pool, timeouts);
  }

  /** The server's TLS endpoint; with no certificate configured, the state directory's own. */
  private static TlsEndpoint tls(Config config, StateDirectory state) throws Exception {
    if (config.tls().cert() == null) {
      state.ensureCertificate();
      return TlsEndpoint.server(state.certificate(), state.key());
    }
    return TlsEndpoint.server(config.tls().cert(), config.tls().key());
  }

  private static Tun openTun(Config config) throws StartupException {
    Config.Network network = config.network();
    try {
      Tun tun = Tun.open(network.tun(), !config.io().tun().blocking());
      tun.configure(network.serverIp(), network.pool().prefixLength(), network.mtu());
      return tun;
    } catch (LinuxException e) {
      throw new StartupException(MissingCapability.tun(e), e);
    }
  }

  private static void logStarted(
      Config config, InetSocketAddress bind, Loop loop, Tun tun, Path cert, StateDirectory state) {
    Config.Network network = config.network();
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

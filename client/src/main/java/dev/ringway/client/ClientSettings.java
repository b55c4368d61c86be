package dev.ringway.client;

import dev.ringway.config.Config;
import dev.ringway.core.conn.ConnectionTimeouts;
import dev.ringway.core.tls.Cipher;
import dev.ringway.core.tls.PemException;
import dev.ringway.core.tls.Transport;
import dev.ringway.core.tls.TrustPolicy;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.uring.RingOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a client needs to start, taken from a validated {@link Config} and the files it names:
 * the server's resolved address, the trust policy, the credentials read from their files, and the
 * loop's sizes.
 *
 * @param transport UDP (DTLS 1.2) or TCP (TLS 1.3), from {@code mode}
 * @param server the server's outside address, resolved once at start
 * @param trust how the server's certificate is checked
 * @param cipher the one cipher offered to the server ({@code tls.cipher})
 * @param credentials the AuthRequest to send (UserPass or Token)
 * @param tunName the TUN device's name
 * @param mtuLimit the largest TUN MTU to accept from the server ({@code network.mtu})
 * @param timeouts keepalive and how long one attempt may take to reach Online
 * @param initialBackoff the first wait before a reconnect
 * @param maxBackoff the longest wait
 * @param ring how to set up the ring
 * @param tunRxSlots TUN reads in flight
 * @param tunBlocking whether the TUN fd blocks
 * @param udpRxSlots UDP receives in flight
 * @param udpSocketBuffer SO_SNDBUF/SO_RCVBUF in bytes
 * @param tcpSocketBuffer the TCP stream's SO_SNDBUF/SO_RCVBUF and bound on its unsent bytes
 * @param txSlots shared send slots
 * @param statsInterval how often loop statistics are sampled
 */
public record ClientSettings(
    Transport transport,
    InetSocketAddress server,
    TrustPolicy trust,
    Cipher cipher,
    AuthRequest credentials,
    String tunName,
    int mtuLimit,
    ConnectionTimeouts timeouts,
    Duration initialBackoff,
    Duration maxBackoff,
    RingOptions ring,
    int tunRxSlots,
    boolean tunBlocking,
    int udpRxSlots,
    int udpSocketBuffer,
    int tcpSocketBuffer,
    int txSlots,
    Duration statsInterval) {

  /** What kept a configuration from becoming settings; each message names its key. */
  public static final class Invalid extends Exception {
    private final List<String> problems;

    Invalid(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /**
   * Settings from {@code config} (validated for {@code Role.CLIENT}), reading the CA, password and
   * token files and resolving the server's name now.
   *
   * @throws Invalid with every problem found, when the files or the server's name are unusable or
   *     the configuration asks for what this client cannot do yet
   */
  public static ClientSettings from(Config config) throws Invalid {
    List<String> problems = new ArrayList<>();
    if (config.io().engine() == Config.Engine.NIO) {
      problems.add("io.engine: nio is not available in the client yet — use uring or auto");
    }
    InetSocketAddress server = resolve(config, problems);
    TrustPolicy trust = trust(config.tls(), problems);
    if (trust instanceof TrustPolicy.Insecure && config.mode() != Config.Mode.TCP) {
      // Our DTLS 1.3 always validates the chain: skipping it would need a second, weaker path.
      problems.add("tls.insecure: UDP mode validates the server's certificate — set tls.ca");
    }
    AuthRequest credentials = credentials(config.auth(), problems);
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    // An attempt that is not Online within the keepalive timeout is given up and retried: a
    // handshake stuck on a server that went away then waits no longer than a dead tunnel would.
    ConnectionTimeouts timeouts =
        new ConnectionTimeouts(
            config.keepalive().timeout(),
            ConnectionTimeouts.defaults().idle(),
            config.keepalive().interval(),
            config.keepalive().timeout());
    Config.Io io = config.io();
    return new ClientSettings(
        config.mode() == Config.Mode.TCP ? Transport.STREAM : Transport.DATAGRAM,
        server,
        trust,
        switch (config.tls().cipher()) {
          case AES256 -> Cipher.AES_256_GCM;
          case CHACHA20 -> Cipher.CHACHA20_POLY1305;
        },
        credentials,
        config.network().tun(),
        config.network().mtu(),
        timeouts,
        config.reconnect().initialBackoff(),
        config.reconnect().maxBackoff(),
        ringOptions(io.ring()),
        io.tun().rxSlots(),
        io.tun().blocking(),
        io.udp().rxSlots(),
        io.udp().socketBuffer(),
        io.tcp().socketBuffer(),
        io.tx().slots(),
        config.stats().interval());
  }

  /** Whether the server's certificate goes unchecked ({@code tls.insecure}). */
  public boolean insecure() {
    return trust instanceof TrustPolicy.Insecure;
  }

  private static RingOptions ringOptions(Config.Ring ring) {
    long sqpollIdle = ring.sqpollIdle().toMillis();
    return sqpollIdle == 0
        ? RingOptions.singleIssuer(ring.entries())
        : RingOptions.of(ring.entries()).withSqpoll((int) sqpollIdle);
  }

  private static InetSocketAddress resolve(Config config, List<String> problems) {
    String host = config.server().host();
    try {
      // IPv4 first: the inside is IPv4 and most servers listen on IPv4.
      InetAddress[] all = InetAddress.getAllByName(host);
      InetAddress chosen = all[0];
      for (InetAddress candidate : all) {
        if (candidate instanceof java.net.Inet4Address) {
          chosen = candidate;
          break;
        }
      }
      return new InetSocketAddress(chosen, config.server().port());
    } catch (UnknownHostException e) {
      problems.add("server: cannot resolve '" + host + "' (" + e.getMessage() + ")");
      return null;
    }
  }

  private static TrustPolicy trust(Config.Tls tls, List<String> problems) {
    if (tls.insecure()) {
      return TrustPolicy.insecure();
    }
    try {
      return TrustPolicy.caFile(tls.ca());
    } catch (PemException | IllegalArgumentException e) {
      problems.add("tls.ca: " + tls.ca() + ": " + e.getMessage());
      return null;
    }
  }

  private static AuthRequest credentials(Config.Auth auth, List<String> problems) {
    try {
      if (auth.tokenFile() != null) {
        String token = Files.readString(auth.tokenFile(), StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
          problems.add("auth.tokenFile: " + auth.tokenFile() + " is empty");
          return null;
        }
        return new AuthRequest.Token(token);
      }
      return new AuthRequest.UserPass(auth.user(), firstLine(auth.passwordFile()));
    } catch (IOException e) {
      String key = auth.tokenFile() != null ? "auth.tokenFile" : "auth.passwordFile";
      problems.add(key + ": cannot read: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      problems.add("auth: " + e.getMessage());
    }
    return null;
  }

  private static String firstLine(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return lines.isEmpty() ? "" : lines.getFirst();
  }
}

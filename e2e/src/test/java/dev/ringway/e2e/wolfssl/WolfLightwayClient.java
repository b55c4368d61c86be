package dev.ringway.e2e.wolfssl;

import dev.ringway.core.wire.AuthFailure;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.core.wire.AuthSuccessWithConfigV4;
import dev.ringway.core.wire.Data;
import dev.ringway.core.wire.Frame;
import dev.ringway.core.wire.FrameCodec;
import dev.ringway.core.wire.Goodbye;
import dev.ringway.core.wire.Ping;
import dev.ringway.core.wire.Pong;
import dev.ringway.core.wire.SessionId;
import dev.ringway.core.wire.WireException;
import dev.ringway.testkit.wolfssl.DtlsClient;
import dev.ringway.testkit.wolfssl.DtlsVersion;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Lightway UDP client whose DTLS is wolfSSL's, bound through FFM, and whose outer header is
 * {@link LightwayDatagrams}'; Lightway frames are built and parsed with {@code
 * dev.ringway.core.wire}, one frame per DTLS record as every Lightway sender does. It does what a
 * Lightway client does up to the first inside packet: handshake, AuthRequest,
 * AuthSuccessWithConfigV4, keepalive Ping and Pong, a Data frame out and its answer back, and
 * Goodbye with close_notify at the end. Pings the server sends (session-id rotation) are answered
 * while it waits.
 *
 * <p>By hand (see {@code README.md}): {@code WolfLightwayClient HOST:PORT CA USER PASSWORD_FILE
 * [--dtls 1.2|1.3] [--cipher aes256|chacha20] [--server-name NAME] [--library LIBWOLFSSL]}.
 */
final class WolfLightwayClient implements AutoCloseable {
  /** lightway-core's DTLS MTU: 1500 − IPv4 20 − UDP 8 − Lightway header 16. */
  static final int DTLS_MTU = 1456;

  /** The AEAD to offer: the TLS 1.3 suite and its ECDHE (ECDSA and RSA) DTLS 1.2 siblings. */
  enum Cipher {
    AES_256_GCM(
        "TLS13-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384"),
    CHACHA20_POLY1305(
        "TLS13-CHACHA20-POLY1305-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");

    private final String wolfSslList;

    Cipher(String wolfSslList) {
      this.wolfSslList = wolfSslList;
    }

    /** The wolfSSL cipher list for {@code version}: only the suites that version can use. */
    String list(DtlsVersion version) {
      return Stream.of(wolfSslList.split(":"))
          .filter(suite -> suite.startsWith("TLS13-") == (version == DtlsVersion.DTLS_1_3))
          .collect(Collectors.joining(":"));
    }
  }

  /**
   * How to reach and check the server.
   *
   * @param dtls DTLS 1.2 (Ringway today) or 1.3 (Lightway's clients, Ringway later)
   * @param wireMajor the outer header's major version
   * @param wireMinor the outer header's minor version: 2 with DTLS 1.2, 3 with DTLS 1.3
   * @param serverName the name the server's certificate must carry, or null to check none
   */
  record Settings(
      DtlsVersion dtls,
      int wireMajor,
      int wireMinor,
      Cipher cipher,
      Path caFile,
      String serverName,
      Path library) {
    Settings {
      Objects.requireNonNull(dtls, "dtls");
      Objects.requireNonNull(cipher, "cipher");
      Objects.requireNonNull(caFile, "caFile");
      Objects.requireNonNull(library, "library");
    }

    /** The wire version that goes with {@code dtls}: 1.2 over DTLS 1.2, 1.3 over DTLS 1.3. */
    static Settings of(
        DtlsVersion dtls, Cipher cipher, Path caFile, String serverName, Path library) {
      return new Settings(
          dtls, 1, dtls == DtlsVersion.DTLS_1_3 ? 3 : 2, cipher, caFile, serverName, library);
    }
  }

  /** The server refused the credentials with AuthFailure. */
  static final class AuthRefused extends IOException {
    private static final long serialVersionUID = 1L;

    AuthRefused() {
      super("the server answered AuthFailure");
    }
  }

  private final LightwayDatagrams datagrams;
  private final DtlsClient dtls;
  private final List<String> ignored = new ArrayList<>();
  private AuthSuccessWithConfigV4 config;

  private WolfLightwayClient(LightwayDatagrams datagrams, DtlsClient dtls) {
    this.datagrams = datagrams;
    this.dtls = dtls;
  }

  /**
   * A client over {@code channel}, which must already be connected to the server (open it in the
   * network namespace the client should live in); the handshake starts with {@link
   * #handshake(Duration)}.
   */
  static WolfLightwayClient open(Settings settings, DatagramChannel channel) throws IOException {
    LightwayDatagrams datagrams =
        new LightwayDatagrams(channel, settings.wireMajor(), settings.wireMinor());
    try {
      DtlsClient dtls =
          DtlsClient.open(
              settings.library(),
              new DtlsClient.Options(
                  settings.dtls(),
                  settings.caFile(),
                  settings.cipher().list(settings.dtls()),
                  settings.serverName(),
                  DtlsClient.supportsMtu(settings.library()) ? DTLS_MTU : 0),
              datagrams);
      return new WolfLightwayClient(datagrams, dtls);
    } catch (RuntimeException e) {
      datagrams.close();
      throw e;
    }
  }

  /** Runs the DTLS handshake to its end. */
  void handshake(Duration limit) throws IOException {
    dtls.handshake(limit, datagrams::await);
  }

  /**
   * Sends {@code request} and waits for the verdict: the configuration on AuthSuccess (the
   * connection is then online and its session id is the one the server's header carried).
   *
   * @throws AuthRefused on AuthFailure
   */
  AuthSuccessWithConfigV4 authenticate(AuthRequest request, Duration limit) throws IOException {
    send(request);
    Frame verdict =
        await(
            frame -> frame instanceof AuthSuccessWithConfigV4 || frame instanceof AuthFailure,
            limit,
            "AuthSuccessWithConfigV4 or AuthFailure");
    if (verdict instanceof AuthSuccessWithConfigV4 success) {
      config = success;
      datagrams.online();
      return success;
    }
    throw new AuthRefused();
  }

  /** A keepalive Ping (id 0, as Lightway's clients send it) and the server's Pong. */
  Pong keepalive(Duration limit) throws IOException {
    send(new Ping(0));
    return (Pong) await(frame -> frame instanceof Pong, limit, "a Pong");
  }

  /**
   * Sends an ICMP echo request from the inside address AuthSuccess gave to {@code target} in a Data
   * frame and waits for the Data frame carrying its reply.
   */
  byte[] echo(Inet4Address target, int sequence, Duration limit) throws IOException {
    if (config == null) {
      throw new IllegalStateException("not online: authenticate first");
    }
    Inet4Address self = (Inet4Address) InetAddress.getByName(config.localIp());
    IcmpEcho echo = new IcmpEcho(self, target, 0x5757, sequence);
    byte[] payload = ("wolfSSL over Lightway " + sequence).getBytes(StandardCharsets.US_ASCII);
    send(new Data(echo.request(payload)));
    Data reply =
        (Data)
            await(
                frame -> frame instanceof Data data && echo.isReply(data.payload(), payload),
                limit,
                "the ICMP echo reply from " + target.getHostAddress());
    return reply.payload();
  }

  /** Says Goodbye and sends close_notify, as a Lightway client disconnecting does. */
  void goodbye() throws IOException {
    send(new Goodbye());
    dtls.shutdown();
  }

  /** The session id in our outer header now (empty until a frame arrived after the handshake). */
  SessionId session() {
    return SessionId.of(datagrams.session());
  }

  /** Datagrams sent so far, each copy counted. */
  long datagramsSent() {
    return datagrams.sent();
  }

  /** The negotiated DTLS version, as wolfSSL names it ({@code "DTLSv1.2"}). */
  String dtlsVersion() {
    return dtls.version();
  }

  /** The negotiated suite, by wolfSSL's name. */
  String cipher() {
    return dtls.cipher();
  }

  /** The key exchange group, by wolfSSL's name. */
  String curve() {
    return dtls.curve();
  }

  private void send(Frame frame) {
    ByteBuffer record = ByteBuffer.allocate(FrameCodec.encodedLength(frame));
    FrameCodec.encode(frame, record);
    dtls.write(record.flip());
  }

  private Frame await(Predicate<Frame> wanted, Duration limit, String what) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException(
            "no " + what + " in " + limit + "; ignored " + ignored + "; " + datagrams.statistics());
      }
      byte[] record;
      try {
        record = dtls.readRecord(Duration.ofNanos(left), datagrams::await);
      } catch (IOException e) {
        throw new IOException(
            "no " + what + " in " + limit + "; ignored " + ignored + "; " + datagrams.statistics(),
            e);
      }
      Frame frame;
      try {
        frame = FrameCodec.decode(ByteBuffer.wrap(record));
      } catch (WireException e) {
        ignored.add(e.toString());
        continue;
      }
      datagrams.adoptSession();
      if (wanted.test(frame)) {
        return frame;
      }
      if (frame instanceof Ping ping) {
        send(new Pong(ping.id()));
      } else {
        ignored.add(frame.kind().toString());
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      dtls.close();
    } finally {
      datagrams.close();
    }
  }

  /**
   * Connects to a Ringway (or Lightway) server over UDP, authenticates with a user and password,
   * and prints the negotiated DTLS, the configuration, a keepalive round trip and an ICMP echo
   * through the tunnel to the server's inside address. Exit code 0 when all of it worked, 1 when
   * something failed, 2 on bad arguments.
   */
  public static void main(String[] args) {
    int code;
    try {
      code = run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("usage error: " + e.getMessage());
      System.err.println(
          "usage: WolfLightwayClient HOST:PORT CA_FILE USER PASSWORD_FILE [--dtls 1.2|1.3]"
              + " [--cipher aes256|chacha20] [--server-name NAME] [--library LIBWOLFSSL.so]");
      code = 2;
    } catch (Exception e) {
      System.err.println("failed: " + e);
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        System.err.println("  caused by: " + cause);
      }
      code = 1;
    }
    System.exit(code);
  }

  private static int run(String[] args) throws Exception {
    if (args.length < 4) {
      throw new IllegalArgumentException("four arguments are required");
    }
    InetSocketAddress server = hostPort(args[0]);
    Path ca = Path.of(args[1]);
    String user = args[2];
    String password = Files.readString(Path.of(args[3])).strip();
    DtlsVersion version = DtlsVersion.DTLS_1_2;
    Cipher cipher = Cipher.AES_256_GCM;
    String serverName = null;
    Path library = null;
    for (int i = 4; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--dtls" ->
            version =
                switch (value) {
                  case "1.2" -> DtlsVersion.DTLS_1_2;
                  case "1.3" -> DtlsVersion.DTLS_1_3;
                  default -> throw new IllegalArgumentException("--dtls is 1.2 or 1.3: " + value);
                };
        case "--cipher" ->
            cipher =
                switch (value) {
                  case "aes256" -> Cipher.AES_256_GCM;
                  case "chacha20" -> Cipher.CHACHA20_POLY1305;
                  default ->
                      throw new IllegalArgumentException(
                          "--cipher is aes256 or chacha20: " + value);
                };
        case "--server-name" -> serverName = value;
        case "--library" -> library = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (library == null) {
      library = dev.ringway.testkit.WolfSsl.get().library();
    }
    Settings settings = Settings.of(version, cipher, ca, serverName, library);
    Duration limit = Duration.ofSeconds(15);
    DatagramChannel channel = DatagramChannel.open();
    channel.connect(server);
    try (WolfLightwayClient client = open(settings, channel)) {
      client.handshake(limit);
      System.out.printf(
          "dtls: %s %s (%s), wire version %d.%d%n",
          client.dtlsVersion(),
          client.cipher(),
          client.curve(),
          settings.wireMajor(),
          settings.wireMinor());
      AuthSuccessWithConfigV4 config =
          client.authenticate(new AuthRequest.UserPass(user, password), limit);
      System.out.printf(
          "auth: online as %s: inside %s, server %s, dns %s, mtu %s, session %s%n",
          user, config.localIp(), config.peerIp(), config.dnsIp(), config.mtu(), config.session());
      long start = System.nanoTime();
      client.keepalive(limit);
      System.out.printf("pong: %.1f ms%n", (System.nanoTime() - start) / 1e6);
      start = System.nanoTime();
      client.echo((Inet4Address) InetAddress.getByName(config.peerIp()), 1, limit);
      System.out.printf(
          "icmp echo reply from %s: %.1f ms%n", config.peerIp(), (System.nanoTime() - start) / 1e6);
      client.goodbye();
    }
    return 0;
  }

  private static InetSocketAddress hostPort(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("HOST:PORT expected: " + text);
    }
    try {
      return new InetSocketAddress(
          text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in " + text);
    }
  }
}

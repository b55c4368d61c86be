package dev.ringway.e2e.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.core.wire.AuthSuccessWithConfigV4;
import dev.ringway.core.wire.Pong;
import dev.ringway.core.wire.ProtocolVersion;
import dev.ringway.core.wire.SessionId;
import dev.ringway.e2e.InNamespace;
import dev.ringway.e2e.Process;
import dev.ringway.e2e.Topology;
import dev.ringway.e2e.wolfssl.WolfLightwayClient.Cipher;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.KernelTest;
import dev.ringway.testkit.NetnsTest;
import dev.ringway.testkit.WolfSsl;
import dev.ringway.testkit.WolfSslTest;
import dev.ringway.testkit.wolfssl.DtlsVersion;
import dev.ringway.testkit.wolfssl.TestPki;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 14's interop proof with the library Lightway itself uses: a Lightway client whose DTLS is
 * wolfSSL's and whose outer header is its own authenticates against a real {@code ringway server}
 * over DTLS 1.3 with wire version 1.3 (as today's Lightway client does), gets a Pong, and reaches
 * the server's inside address through its TUN, with each cipher; JMX shows the session online under
 * the right user. A DTLS-1.2-only client gets no session at all.
 */
@NetnsTest
@KernelTest
@WolfSslTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WolfSslLightwayTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);
  private static final String SERVER_NAME = "ringway.test";
  private static final String USER = "wolf";
  private static final String TOKEN_SUBJECT = "wolf-device-7";

  private WolfSsl wolf;
  private Path pki;
  private TestPki certificates;
  private Topology topology;
  private Process server;
  private String jmxAddress;
  private String password;
  private KeyPair tokenKey;

  @BeforeAll
  void start() throws Exception {
    wolf = WolfSsl.get();
    pki = Files.createTempDirectory("ringway-wolfssl-pki");
    // A chain as deployments have it (a CA, a server certificate it issued, a name to check)
    // rather than the self-signed certificate the server would generate.
    certificates = TestPki.issue(pki, SERVER_NAME);

    // Users and token key of the test's own: a server given a token key makes no demo user.
    password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    Path users =
        Files.createFile(
            pki.resolve("users.htpasswd"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        users,
        USER
            + ":"
            + BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(10, password.toCharArray())
            + "\n");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    tokenKey = generator.generateKeyPair();
    Files.writeString(
        pki.resolve("token.pub"),
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(tokenKey.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");

    topology = Topology.create(1);
    jmxAddress = topology.linkHost();
    // Given its own certificate and users the server prints no demo-client hint, which is what
    // Topology.startServer waits for: wait for its UDP socket instead.
    server =
        topology.launchServer(
            List.of(),
            List.of(),
            "jmx.bind=" + jmxAddress + ":27691",
            "jmx.insecure=true",
            "tls.cert=" + certificates.certificate(),
            "tls.key=" + certificates.key(),
            "auth.users=" + users,
            "auth.tokenPublicKey=" + pki.resolve("token.pub"));
    // The JMX connector may come up after the UDP socket: wait for both, or the first JMX read
    // races the server's start (seen in a clean-clone run: connection refused on 27691).
    Await.until(
        "the server to listen on UDP port 27690 and answer JMX: " + server,
        Duration.ofSeconds(60),
        () ->
            !server.isAlive()
                || (topology.server.exec("ss", "-Hlun", "sport = :27690").output().contains("27690")
                    && jmxAnswers()));
    assertThat(server.isAlive()).as("the server runs: %s", server).isTrue();
  }

  @AfterAll
  void stop() throws Exception {
    if (topology != null) {
      topology.close();
    }
    if (pki != null) {
      try (var files = Files.walk(pki)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Cipher.class)
  void authenticatesGetsAPongAndReachesTheServersInsideOverDtls13(Cipher cipher) throws Exception {
    try (WolfLightwayClient client = open(DtlsVersion.DTLS_1_3, cipher)) {
      client.handshake(LIMIT);
      assertThat(client.dtlsVersion()).isEqualTo("DTLSv1.3");
      assertThat(client.cipher())
          .isEqualTo(
              cipher == Cipher.AES_256_GCM
                  ? "TLS13-AES256-GCM-SHA384"
                  : "TLS13-CHACHA20-POLY1305-SHA256");
      assertThat(client.session()).as("no frame yet, so no session").isEqualTo(SessionId.EMPTY);

      AuthSuccessWithConfigV4 config =
          client.authenticate(new AuthRequest.UserPass(USER, password), LIMIT);

      assertThat(config.peerIp()).isEqualTo(Topology.SERVER_INSIDE);
      assertThat(config.session()).isNotEqualTo(SessionId.EMPTY);
      assertThat(client.session())
          .as("the header of the AuthSuccess datagram carried the session")
          .isEqualTo(config.session());

      Pong pong = client.keepalive(LIMIT);
      assertThat(pong.id()).isZero();

      byte[] reply = client.echo(inet4(Topology.SERVER_INSIDE), 1, LIMIT);
      assertThat(reply).isNotEmpty();

      CompositeData row =
          connectionRow(config.session().toString())
              .orElseThrow(() -> new AssertionError("no JMX row for " + config.session()));
      assertThat(row.get("user")).isEqualTo(USER);
      assertThat(row.get("mode")).isEqualTo("udp");
      assertThat(row.get("state")).isEqualTo("ONLINE");
      assertThat((String) row.get("outerAddress")).startsWith(Topology.clientOutside(0) + ":");

      client.goodbye();
      Await.until(
          "the server to end the session after Goodbye",
          LIMIT,
          () -> connectionRow(config.session().toString()).isEmpty());
    }
  }

  @Test
  void authenticatesWithAVersionedTokenForTheHeadersWireVersion() throws Exception {
    try (WolfLightwayClient client = open(DtlsVersion.DTLS_1_3, Cipher.AES_256_GCM)) {
      client.handshake(LIMIT);

      AuthSuccessWithConfigV4 config =
          client.authenticate(
              new AuthRequest.VersionedToken(ProtocolVersion.V1_3, token(tokenKey.getPrivate())),
              LIMIT);
      client.keepalive(LIMIT);
      client.echo(inet4(Topology.SERVER_INSIDE), 2, LIMIT);

      CompositeData row =
          connectionRow(config.session().toString())
              .orElseThrow(() -> new AssertionError("no JMX row for " + config.session()));
      assertThat(row.get("user")).isEqualTo(TOKEN_SUBJECT);
      assertThat(row.get("state")).isEqualTo("ONLINE");
      client.goodbye();
    }
  }

  @Test
  void aTokenSignedByAnotherKeyGetsAuthFailure() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String forged = token(generator.generateKeyPair().getPrivate());
    try (WolfLightwayClient client = open(DtlsVersion.DTLS_1_3, Cipher.CHACHA20_POLY1305)) {
      client.handshake(LIMIT);

      assertThatThrownBy(() ->
              client.authenticate(
                  new AuthRequest.VersionedToken(ProtocolVersion.V1_3, forged), LIMIT))
          .isInstanceOf(WolfLightwayClient.AuthRefused.class);
    }
  }

  @Test
  void runsByHandAsAMainInTheClientsNamespace() throws Exception {
    Path passwordFile = pki.resolve("wolf.pass");
    Files.writeString(passwordFile, password + "\n");
    Path output = pki.resolve("main.out");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            WolfLightwayClient.class.getName(),
            Topology.serverOutside(0) + ":27690",
            certificates.ca().toString(),
            USER,
            passwordFile.toString(),
            "--dtls",
            "1.3",
            "--cipher",
            "chacha20",
            "--server-name",
            SERVER_NAME,
            "--library",
            wolf.library().toString());
    java.lang.Process main =
        topology
            .clients
            .get(0)
            .processBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    main.getOutputStream().close();

    boolean ended = main.waitFor(90, TimeUnit.SECONDS);
    if (!ended) {
      main.destroyForcibly().waitFor();
    }
    String printed = Files.readString(output);
    assertThat(ended).as(printed).isTrue();
    assertThat(main.exitValue()).as(printed).isZero();
    assertThat(printed)
        .contains(
            "dtls: DTLSv1.3 TLS13-CHACHA20-POLY1305-SHA256",
            "wire version 1.3",
            "auth: online as " + USER + ": inside 10.125.0.5, server " + Topology.SERVER_INSIDE,
            "pong: ",
            "icmp echo reply from " + Topology.SERVER_INSIDE);
  }

  @ParameterizedTest
  @EnumSource(Cipher.class)
  void aDtls12OnlyClientIsRefusedAndLeavesNoConnection(Cipher cipher) throws Exception {
    DatagramChannel channel = channel();
    String from = Topology.clientOutside(0) + ":" + channel.socket().getLocalPort();
    try (WolfLightwayClient client = open(DtlsVersion.DTLS_1_2, cipher, channel)) {
      assertThatThrownBy(() -> client.handshake(Duration.ofSeconds(5)))
          .isInstanceOf(java.io.IOException.class);
      assertThat(server.isAlive()).isTrue();
      assertThat(rowsFrom(from)).as("nothing was made for the DTLS 1.2 ClientHellos").isZero();
    }
  }

  @Test
  void aWrongPasswordGetsAuthFailureAndNoTunnel() throws Exception {
    try (WolfLightwayClient client = open(DtlsVersion.DTLS_1_3, Cipher.AES_256_GCM)) {
      client.handshake(LIMIT);

      assertThatThrownBy(
              () -> client.authenticate(new AuthRequest.UserPass(USER, "not-" + password), LIMIT))
          .isInstanceOf(WolfLightwayClient.AuthRefused.class);
    }
    assertThat(server.isAlive()).isTrue();
  }

  private WolfLightwayClient open(DtlsVersion version, Cipher cipher) throws Exception {
    return open(version, cipher, channel());
  }

  private DatagramChannel channel() throws Exception {
    return InNamespace.run(
            topology.clients.get(0),
            () ->
                DatagramChannel.open()
                    .connect(new InetSocketAddress(Topology.serverOutside(0), 27690)))
        .get(10, TimeUnit.SECONDS);
  }

  /** How many of the server's connections (any state) have {@code outerAddress} as their peer. */
  private long rowsFrom(String outerAddress) {
    return rows().stream().filter(row -> outerAddress.equals(row.get("outerAddress"))).count();
  }

  private WolfLightwayClient open(DtlsVersion version, Cipher cipher, DatagramChannel channel)
      throws Exception {
    return WolfLightwayClient.open(
        WolfLightwayClient.Settings.of(
            version, cipher, certificates.ca(), SERVER_NAME, wolf.library()),
        channel);
  }

  /** An RS256 JWT for {@link #TOKEN_SUBJECT} that expires in an hour, signed by {@code key}. */
  private static String token(PrivateKey key) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.RS256),
            new JWTClaimsSet.Builder()
                .subject(TOKEN_SUBJECT)
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
                .build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  /** The server's {@code Connections.list()} row for {@code session}, over JMX. */
  private Optional<CompositeData> connectionRow(String session) {
    return rows().stream().filter(row -> session.equals(row.get("session"))).findFirst();
  }

  private List<CompositeData> rows() {
    try (JMXConnector jmx = JMXConnectorFactory.connect(jmxUrl())) {
      TabularData rows =
          (TabularData)
              jmx.getMBeanServerConnection()
                  .invoke(new ObjectName("dev.ringway:type=Connections"), "list", null, null);
      // A SortedMap<String, ConnectionRow> over JMX: rows of {key: session, value: the row}.
      List<CompositeData> all = new java.util.ArrayList<>();
      for (Object entry : rows.values()) {
        all.add((CompositeData) ((CompositeData) entry).get("value"));
      }
      return all;
    } catch (Exception e) {
      throw new IllegalStateException("cannot list connections over JMX", e);
    }
  }

  private JMXServiceURL jmxUrl() {
    try {
      return new JMXServiceURL(
          "service:jmx:rmi://%s:27691/jndi/rmi://%s:27691/jmxrmi"
              .formatted(jmxAddress, jmxAddress));
    } catch (java.net.MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the server's JMX connector answers a connection now. */
  private boolean jmxAnswers() {
    try (JMXConnector jmx = JMXConnectorFactory.connect(jmxUrl())) {
      return jmx.getMBeanServerConnection()
          .isRegistered(new ObjectName("dev.ringway:type=Connections"));
    } catch (Exception e) {
      return false;
    }
  }

  private static Inet4Address inet4(String address) throws IOException {
    return (Inet4Address) InetAddress.getByName(address);
  }
}

package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.ringway.config.Config;
import dev.ringway.config.Endpoint;
import dev.ringway.core.tls.SelfSigned;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector on its own, in this JVM: one port for registry and server, logins and roles, TLS,
 * and the refusal to expose an unauthenticated server beyond loopback.
 */
class JmxConnectorTest {
  private static final Config.JmxUser MONITOR =
      new Config.JmxUser("watcher", "look-only", null, Config.JmxRole.MONITOR);
  private static final Config.JmxUser OPERATOR =
      new Config.JmxUser(
          "admin",
          null,
          BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray()),
          Config.JmxRole.OPERATOR);

  /** A bean with one attribute to write and one read-only and one acting operation. */
  public interface KnobMXBean {
    int getLevel();

    void setLevel(int level);

    String describe();

    void reset();
  }

  static final class Knob implements KnobMXBean {
    int level = 1;

    @Override
    public int getLevel() {
      return level;
    }

    @Override
    public void setLevel(int level) {
      this.level = level;
    }

    @Override
    public String describe() {
      return "level " + level;
    }

    @Override
    public void reset() {
      level = 0;
    }
  }

  private final MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
  private final Knob knob = new Knob();
  private final ObjectName knobName = JmxAgent.name("type=Knob");
  private JmxConnector connector;

  @BeforeEach
  void registerKnob() throws Exception {
    mbeans.registerMBean(
        new DescribedMBean<>(
            knob,
            KnobMXBean.class,
            "a test knob",
            Map.of("Level", new Doc("how far the knob is turned", "notches")),
            Map.of(
                "describe", Doc.Op.reads("says the level"), "reset", Doc.Op.acts("turns it off"))),
        knobName);
  }

  @AfterEach
  void stop() throws IOException {
    if (connector != null) {
      connector.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private JmxConnector start(List<Config.JmxUser> users, Config.JmxTls tls) throws Exception {
    connector =
        JmxConnector.start(
            new Config.Jmx(new Endpoint("127.0.0.1", freePort()), users, tls, false), mbeans);
    return connector;
  }

  private static JMXConnector connect(JMXServiceURL url, String user, String password)
      throws IOException {
    Map<String, Object> env = new HashMap<>();
    if (user != null) {
      env.put(JMXConnector.CREDENTIALS, new String[] {user, password});
    }
    return JMXConnectorFactory.connect(url, env);
  }

  @Test
  void registryAndConnectorShareTheConfiguredPort() throws Exception {
    JmxConnector started = start(null, null);
    int port = started.url().getPort();

    assertThat(started.url().toString())
        .isEqualTo(
            "service:jmx:rmi://127.0.0.1:" + port + "/jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    try (JMXConnector client = connect(started.url(), null, null)) {
      MBeanServerConnection connection = client.getMBeanServerConnection();
      assertThat(connection.getAttribute(knobName, "Level")).isEqualTo(1);
    }
    // Binding the port again fails: the one listening socket is the connector's. A second
    // exported endpoint would have needed a second port, which the stub would name.
    assertThatThrownBy(() -> new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress()))
        .isInstanceOf(java.net.BindException.class);
    assertThat(stubPort(started.url())).isEqualTo(port);
  }

  /** The port the connector's RMI stub (found in the registry) points clients to. */
  private static int stubPort(JMXServiceURL url) throws Exception {
    java.rmi.registry.Registry registry =
        java.rmi.registry.LocateRegistry.getRegistry("127.0.0.1", url.getPort());
    String stub = registry.lookup("jmxrmi").toString();
    java.util.regex.Matcher port =
        java.util.regex.Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(stub);
    assertThat(port.find()).as("stub %s names an endpoint", stub).isTrue();
    return Integer.parseInt(port.group(1));
  }

  @Test
  void anOperatorReadsAndWrites() throws Exception {
    JmxConnector started = start(List.of(MONITOR, OPERATOR), null);

    try (JMXConnector client = connect(started.url(), "admin", "s3cret")) {
      MBeanServerConnection connection = client.getMBeanServerConnection();
      connection.setAttribute(knobName, new Attribute("Level", 7));
      connection.invoke(knobName, "reset", null, null);
    }

    assertThat(knob.level).isZero();
  }

  @Test
  void aMonitorReadsButCannotWriteOrAct() throws Exception {
    JmxConnector started = start(List.of(MONITOR, OPERATOR), null);

    try (JMXConnector client = connect(started.url(), "watcher", "look-only")) {
      MBeanServerConnection connection = client.getMBeanServerConnection();
      assertThat(connection.getAttribute(knobName, "Level")).isEqualTo(1);
      assertThat(connection.invoke(knobName, "describe", null, null)).isEqualTo("level 1");
      assertThatThrownBy(() -> connection.setAttribute(knobName, new Attribute("Level", 9)))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("needs role operator");
      assertThatThrownBy(() -> connection.invoke(knobName, "reset", null, null))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("needs role operator");
    }

    assertThat(knob.level).isEqualTo(1);
  }

  @Test
  void aWrongPasswordIsRefused() throws Exception {
    JmxConnector started = start(List.of(MONITOR, OPERATOR), null);

    assertThatThrownBy(() -> connect(started.url(), "admin", "guess"))
        .isInstanceOf(SecurityException.class)
        .hasMessageContaining("wrong user name or password");
  }

  @Test
  void anUnknownUserGetsTheSameAnswerAsAWrongPassword() throws Exception {
    JmxConnector started = start(List.of(MONITOR, OPERATOR), null);

    assertThatThrownBy(() -> connect(started.url(), "mallory", "s3cret"))
        .isInstanceOf(SecurityException.class)
        .hasMessageContaining("wrong user name or password");
  }

  @Test
  void noCredentialsAreRefusedWhenUsersAreConfigured() throws Exception {
    JmxConnector started = start(List.of(MONITOR, OPERATOR), null);

    assertThatThrownBy(() -> connect(started.url(), null, null))
        .isInstanceOf(SecurityException.class)
        .hasMessageContaining("credentials required");
  }

  @Test
  void aNonLoopbackBindWithoutUsersIsRefused() {
    Config.Jmx open = new Config.Jmx(new Endpoint("0.0.0.0", 27691), null, null, false);

    assertThatThrownBy(() -> JmxConnector.start(open, mbeans))
        .isInstanceOf(JmxConnector.Refused.class)
        .hasMessageContaining("jmx.bind 0.0.0.0 is not a loopback address")
        .hasMessageContaining("jmx.insecure: true");
  }

  @Test
  void withTlsTheConnectorSpeaksTlsAndRefusesPlainClients(@TempDir Path dir) throws Exception {
    SelfSigned certificate = SelfSigned.generate("127.0.0.1", List.of("127.0.0.1"));
    Path cert = dir.resolve("jmx.crt");
    Path key = dir.resolve("jmx.key");
    certificate.write(cert, key);
    JmxConnector started = start(List.of(MONITOR, OPERATOR), new Config.JmxTls(cert, key));

    assertThatThrownBy(() -> connect(started.url(), "admin", "s3cret"))
        .isInstanceOf(IOException.class);
    try (JMXConnector client = connectTrusting(started.url(), certificate, dir)) {
      assertThat(client.getMBeanServerConnection().getAttribute(knobName, "Level")).isEqualTo(1);
    }
  }

  @Test
  void withAClientCaTheConnectorRequiresAClientCertificateThatChainsToIt(@TempDir Path dir)
      throws Exception {
    SelfSigned server = SelfSigned.generate("127.0.0.1", List.of("127.0.0.1"));
    server.write(dir.resolve("jmx.crt"), dir.resolve("jmx.key"));
    SelfSigned console = SelfSigned.generate("ops-console", List.of());
    console.write(dir.resolve("ops-ca.crt"), dir.resolve("console.key"));
    SelfSigned stranger = SelfSigned.generate("stranger", List.of());
    JmxConnector started =
        start(
            List.of(MONITOR, OPERATOR),
            new Config.JmxTls(
                dir.resolve("jmx.crt"), dir.resolve("jmx.key"), dir.resolve("ops-ca.crt")));
    int port = started.url().getPort();

    // The registry shares the connector's port and sockets: what it accepts, the connector does.
    assertThat(registryOverTls(port, server, console).lookup("jmxrmi")).isNotNull();
    assertThatThrownBy(() -> registryOverTls(port, server, null).lookup("jmxrmi"))
        .isInstanceOf(java.rmi.RemoteException.class);
    assertThatThrownBy(() -> registryOverTls(port, server, stranger).lookup("jmxrmi"))
        .isInstanceOf(java.rmi.RemoteException.class);
  }

  /** The registry on {@code port}, over TLS trusting {@code server}, presenting {@code client}. */
  private static java.rmi.registry.Registry registryOverTls(
      int port, SelfSigned server, SelfSigned client) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", server.certificate());
    TrustManagerFactory trusting =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trusting.init(trust);
    KeyManager[] keys = null;
    if (client != null) {
      KeyStore identity = KeyStore.getInstance("PKCS12");
      identity.load(null, null);
      identity.setKeyEntry(
          "client",
          client.privateKey(),
          new char[0],
          new java.security.cert.X509Certificate[] {client.certificate()});
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(identity, new char[0]);
      keys = factory.getKeyManagers();
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, trusting.getTrustManagers(), null);
    java.rmi.server.RMIClientSocketFactory sockets =
        (host, p) -> context.getSocketFactory().createSocket(host, p);
    return java.rmi.registry.LocateRegistry.getRegistry("127.0.0.1", port, sockets);
  }

  /**
   * A TLS client trusting {@code certificate}. The RMI stubs' {@link SslRMIClientSocketFactory}
   * uses the JVM's default SSL context, so the trust store goes into the standard properties, which
   * this test class alone relies on.
   */
  private static JMXConnector connectTrusting(JMXServiceURL url, SelfSigned certificate, Path dir)
      throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("jmx", certificate.certificate());
    Path store = dir.resolve("trust.p12");
    try (var out = Files.newOutputStream(store)) {
      trust.store(out, "changeit".toCharArray());
    }
    System.setProperty("javax.net.ssl.trustStore", store.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    Map<String, Object> env = new HashMap<>();
    env.put(JMXConnector.CREDENTIALS, new String[] {"admin", "s3cret"});
    env.put("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
    env.put("jmx.remote.x.check.stub", "true");
    return JMXConnectorFactory.connect(url, env);
  }
}

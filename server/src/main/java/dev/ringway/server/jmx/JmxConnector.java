package dev.ringway.server.jmx;

import dev.ringway.config.Config;
import dev.ringway.core.tls.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;

/**
 * The JMX connector: the RMI registry and the RMI connector server share one port, so one firewall
 * rule (or one SSH tunnel) reaches both. With {@code jmx.users} every client logs in (on any bind,
 * loopback too) and gets its role; with {@code jmx.tls} both the registry and the connector speak
 * TLS, and with {@code jmx.tls.clientCa} they also require a client certificate.
 *
 * <p>What a client can reach is bounded three ways: the {@link ConnectorGate} in front of the MBean
 * server, a deserialization filter on every call ({@link #SERIAL_FILTER}: open data and the JMX
 * protocol's own classes, nothing else is even instantiated), and a registry no client can change
 * ({@link ConnectorSockets}).
 */
final class JmxConnector implements AutoCloseable {
  /**
   * The classes a client may send: open data (simple types, CompositeData, TabularData and the
   * collections their serial forms use, arrays of them) and what the RMI connector's calls carry
   * (ObjectName, MarshalledObject, Attribute and AttributeList, notification filters, the always
   * null delegation Subject). The filter also applies when a MarshalledObject argument is
   * unwrapped.
   */
  static final String SERIAL_FILTER =
      String.join(
          ";",
          "maxdepth=32",
          "maxrefs=100000",
          "maxarray=1000000",
          "maxbytes=16777216",
          "java.lang.String",
          "java.lang.Boolean",
          "java.lang.Character",
          "java.lang.Byte",
          "java.lang.Short",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Float",
          "java.lang.Double",
          "java.lang.Number",
          // Only as the element type of Object[]; a bare Object is not serializable.
          "java.lang.Object",
          "java.math.BigDecimal",
          "java.math.BigInteger",
          "java.util.Date",
          "javax.management.ObjectName",
          "javax.management.Attribute",
          "javax.management.AttributeList",
          "javax.management.NotificationFilterSupport",
          "javax.management.AttributeChangeNotificationFilter",
          "javax.management.relation.MBeanServerNotificationFilter",
          "javax.management.openmbean.OpenType",
          "javax.management.openmbean.SimpleType",
          "javax.management.openmbean.ArrayType",
          "javax.management.openmbean.CompositeType",
          "javax.management.openmbean.TabularType",
          "javax.management.openmbean.CompositeDataSupport",
          "javax.management.openmbean.TabularDataSupport",
          "java.util.TreeMap",
          "java.util.HashMap",
          "java.util.LinkedHashMap",
          "java.util.Map$Entry",
          "java.util.ArrayList",
          "java.util.Vector",
          "java.util.Arrays$ArrayList",
          "java.util.Collections$UnmodifiableCollection",
          "java.util.Collections$UnmodifiableList",
          "java.util.Collections$UnmodifiableRandomAccessList",
          "java.rmi.MarshalledObject",
          "javax.security.auth.Subject",
          "!*");

  private final Registry registry;
  private final RMIConnectorServer server;
  private final JMXServiceURL url;
  private final JmxLogins logins;

  private JmxConnector(
      Registry registry, RMIConnectorServer server, JMXServiceURL url, JmxLogins logins) {
    this.registry = registry;
    this.server = server;
    this.url = url;
    this.logins = logins;
  }

  /** A configuration the connector refuses to run with; the message says what to change. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /** Starts the connector for {@code mbeans} as {@code jmx} says. */
  static JmxConnector start(Config.Jmx jmx, MBeanServer mbeans) throws IOException, Refused {
    boolean authenticated = jmx.users() != null && !jmx.users().isEmpty();
    if (!jmx.bind().isLoopback() && !authenticated && !jmx.insecure()) {
      throw new Refused(
          "jmx.bind "
              + jmx.bind().host()
              + " is not a loopback address and jmx.users is unset: anyone who reaches the port"
              + " could retune the server. Set jmx.users (and jmx.tls), bind to 127.0.0.1, or set"
              + " jmx.insecure: true to accept the risk");
    }
    String host = jmx.bind().host();
    int port = jmx.bind().port();
    InetAddress address = InetAddress.getByName(host);
    if (!address.isAnyLocalAddress() && System.getProperty("java.rmi.server.hostname") == null) {
      // Stubs carry this host; the default (the machine's name) may not reach a loopback bind.
      System.setProperty("java.rmi.server.hostname", host);
    }
    SSLContext tls = jmx.tls() == null ? null : tlsContext(jmx.tls());
    RMIServerSocketFactory serverSockets =
        new ConnectorSockets(address, tls, jmx.tls() != null && jmx.tls().clientCa() != null);
    RMIClientSocketFactory clientSockets = tls == null ? null : new SslRMIClientSocketFactory();

    Map<String, Object> env = new HashMap<>();
    env.put(
        RMIConnectorServer.CREDENTIALS_FILTER_PATTERN,
        "maxdepth=2;maxarray=2;" + String.class.getName() + ";" + String[].class.getName() + ";!*");
    env.put(RMIConnectorServer.SERIAL_FILTER_PATTERN, SERIAL_FILTER);
    JmxLogins logins = authenticated ? new JmxLogins(jmx.users(), LoginLimiter.standard()) : null;
    if (logins != null) {
      env.put(JMXConnectorServer.AUTHENTICATOR, logins);
    }
    Registry registry = LocateRegistry.createRegistry(port, clientSockets, serverSockets);
    try {
      RMIJRMPServerImpl rmiServer = new RMIJRMPServerImpl(port, clientSockets, serverSockets, env);
      JMXServiceURL url =
          new JMXServiceURL(
              "service:jmx:rmi://"
                  + urlHost(host)
                  + ":"
                  + port
                  + "/jndi/rmi://"
                  + urlHost(host)
                  + ":"
                  + port
                  + "/jmxrmi");
      RMIConnectorServer server =
          new RMIConnectorServer(
              new JMXServiceURL("service:jmx:rmi://" + urlHost(host) + ":" + port),
              env,
              rmiServer,
              mbeans);
      server.setMBeanServerForwarder(ConnectorGate.create(authenticated));
      server.start();
      registry.bind("jmxrmi", rmiServer.toStub());
      return new JmxConnector(registry, server, url, logins);
    } catch (IOException | RuntimeException | java.rmi.AlreadyBoundException e) {
      UnicastRemoteObject.unexportObject(registry, true);
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  private static String urlHost(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static SSLContext tlsContext(Config.JmxTls files) throws IOException {
    try {
      List<X509Certificate> chain = Pem.certificates(files.cert());
      PrivateKey key = Pem.privateKey(files.key());
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("jmx", key, password, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      TrustManager[] clientTrust = null;
      if (files.clientCa() != null) {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        int i = 0;
        for (X509Certificate ca : Pem.certificates(files.clientCa())) {
          anchors.setCertificateEntry("client-ca-" + i++, ca);
        }
        TrustManagerFactory trust =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        clientTrust = trust.getTrustManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), clientTrust, null);
      return context;
    } catch (Exception e) {
      throw new IOException("jmx.tls: " + e.getMessage(), e);
    }
  }

  /** The address clients connect to. */
  JMXServiceURL url() {
    return url;
  }

  /** The login checker, or null when the connector has no users. */
  JmxLogins logins() {
    return logins;
  }

  @Override
  public void close() throws IOException {
    try {
      server.stop();
    } finally {
      try {
        UnicastRemoteObject.unexportObject(registry, true);
      } catch (NoSuchObjectException alreadyGone) {
        // Nothing left to stop.
      }
    }
  }
}

package dev.ringway.server.jmx;

import dev.ringway.config.Config;
import dev.ringway.core.tls.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import javax.rmi.ssl.SslRMIClientSocketFactory;

/**
 * The JMX connector: the RMI registry and the RMI connector server share one port, so one firewall
 * rule (or one SSH tunnel) reaches both. With {@code jmx.users} every client logs in and gets its
 * role; with {@code jmx.tls} both the registry and the connector speak TLS.
 */
final class JmxConnector implements AutoCloseable {
  private final Registry registry;
  private final RMIConnectorServer server;
  private final JMXServiceURL url;

  private JmxConnector(Registry registry, RMIConnectorServer server, JMXServiceURL url) {
    this.registry = registry;
    this.server = server;
    this.url = url;
  }

  /** A configuration the connector refuses to run with; the message says what to change. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * Opens a server socket on one local address only (the RMI default listens on all of them). Equal
   * factories share one listening port, which is how the registry and the connector server end up
   * on the same one.
   */
  private record BoundServerSocketFactory(InetAddress address, SSLContext tls)
      implements RMIServerSocketFactory {
    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      if (tls != null) {
        return tls.getServerSocketFactory().createServerSocket(port, 50, address);
      }
      return new ServerSocket(port, 50, address);
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
    RMIServerSocketFactory serverSockets = new BoundServerSocketFactory(address, tls);
    RMIClientSocketFactory clientSockets = tls == null ? null : new SslRMIClientSocketFactory();

    Map<String, Object> env = new HashMap<>();
    env.put(
        RMIConnectorServer.CREDENTIALS_FILTER_PATTERN,
        String.class.getName() + ";" + String[].class.getName() + ";!*");
    if (authenticated) {
      env.put(JMXConnectorServer.AUTHENTICATOR, new JmxLogins(jmx.users()));
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
      if (authenticated) {
        server.setMBeanServerForwarder(RoleGate.create());
      }
      server.start();
      registry.bind("jmxrmi", rmiServer.toStub());
      return new JmxConnector(registry, server, url);
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
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (Exception e) {
      throw new IOException("jmx.tls: " + e.getMessage(), e);
    }
  }

  /** The address clients connect to. */
  JMXServiceURL url() {
    return url;
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

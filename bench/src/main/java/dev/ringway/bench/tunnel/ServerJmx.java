package dev.ringway.bench.tunnel;

import dev.ringway.server.jmx.PathMXBean;
import dev.ringway.server.jmx.ServerMXBean;
import dev.ringway.server.jmx.TunablesMXBean;
import java.io.IOException;
import java.time.Duration;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** A JMX connection to a Ringway server the benchmark started, with its MXBeans as proxies. */
final class ServerJmx implements AutoCloseable {
  static final int PORT = 27691;

  private final JMXConnector connector;
  private final MBeanServerConnection mbeans;

  private ServerJmx(JMXConnector connector) throws IOException {
    this.connector = connector;
    this.mbeans = connector.getMBeanServerConnection();
  }

  /** Connects to the server's connector at {@code address}, retrying while it comes up. */
  static ServerJmx connect(String address, Duration limit) {
    JMXServiceURL url;
    try {
      url =
          new JMXServiceURL(
              "service:jmx:rmi://%s:%d/jndi/rmi://%s:%d/jmxrmi"
                  .formatted(address, PORT, address, PORT));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    ServerJmx[] connected = new ServerJmx[1];
    IOException[] last = new IOException[1];
    try {
      Tunnel.await(
          "the server's JMX connector at " + url,
          limit,
          () -> {
            try {
              connected[0] = new ServerJmx(JMXConnectorFactory.connect(url));
              return true;
            } catch (IOException e) {
              last[0] = e;
              return false;
            }
          });
    } catch (MeasurementException e) {
      throw new MeasurementException(e.getMessage() + " (" + last[0] + ")", e);
    }
    return connected[0];
  }

  ServerMXBean server() {
    return JMX.newMXBeanProxy(mbeans, name("dev.ringway:type=Server"), ServerMXBean.class);
  }

  TunablesMXBean tunables() {
    return JMX.newMXBeanProxy(mbeans, name("dev.ringway:type=Tunables"), TunablesMXBean.class);
  }

  /** The counters of one I/O path, e.g. {@code tun.rx}. */
  PathMXBean path(String path) {
    return JMX.newMXBeanProxy(mbeans, name("dev.ringway:type=Path,name=" + path), PathMXBean.class);
  }

  private static ObjectName name(String text) {
    try {
      return new ObjectName(text);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  @Override
  public void close() {
    try {
      connector.close();
    } catch (IOException e) {
      // The server is being stopped anyway; a connector that cannot say goodbye changes nothing.
    }
  }
}

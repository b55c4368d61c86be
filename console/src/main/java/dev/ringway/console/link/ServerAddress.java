package dev.ringway.console.link;

import java.net.MalformedURLException;
import javax.management.remote.JMXServiceURL;

/**
 * Where a server's JMX connector listens. Operators type {@code host:port} (or {@code [v6]:port});
 * the server's registry and connector share that one port, so the full service URL follows from it.
 * A {@code service:jmx:} URL is taken as it is.
 */
public record ServerAddress(JMXServiceURL url) {
  /** The server's default JMX port ({@code jmx.bind}). */
  public static final int DEFAULT_PORT = 27691;

  /**
   * Parses {@code host}, {@code host:port}, {@code [v6]:port} or a {@code service:jmx:} URL.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static ServerAddress parse(String text) {
    String trimmed = text == null ? "" : text.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("no address: type host:port or a service:jmx: URL");
    }
    if (trimmed.startsWith("service:jmx:")) {
      try {
        return new ServerAddress(new JMXServiceURL(trimmed));
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("not a JMX service URL: " + e.getMessage());
      }
    }
    String host;
    String portText;
    if (trimmed.startsWith("[")) {
      int close = trimmed.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ] after the IPv6 address in " + trimmed);
      }
      host = trimmed.substring(0, close + 1);
      String rest = trimmed.substring(close + 1);
      portText = rest.startsWith(":") ? rest.substring(1) : rest.isEmpty() ? null : rest;
    } else {
      int colon = trimmed.lastIndexOf(':');
      if (colon >= 0 && trimmed.indexOf(':') != colon) {
        throw new IllegalArgumentException(
            "an IPv6 address needs brackets, e.g. [" + trimmed + "]:" + DEFAULT_PORT);
      }
      host = colon < 0 ? trimmed : trimmed.substring(0, colon);
      portText = colon < 0 ? null : trimmed.substring(colon + 1);
    }
    int port = DEFAULT_PORT;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("port " + portText + " is not a number");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
      }
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host before :" + port);
    }
    String hostPort = host + ":" + port;
    try {
      return new ServerAddress(
          new JMXServiceURL(
              "service:jmx:rmi://" + hostPort + "/jndi/rmi://" + hostPort + "/jmxrmi"));
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("cannot make a JMX URL of " + hostPort + ": " + e);
    }
  }

  @Override
  public String toString() {
    return url.toString();
  }
}

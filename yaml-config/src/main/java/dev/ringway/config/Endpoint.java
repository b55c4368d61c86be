package dev.ringway.config;

import java.net.InetAddress;

/**
 * A socket address as written in the file: a host name or IP literal and a port. It is kept
 * unresolved, so loading a configuration never waits on DNS.
 */
public record Endpoint(String host, int port) {

  /** True for {@code localhost} and loopback IP literals; host names are not resolved. */
  public boolean isLoopback() {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return InetAddress.ofLiteral(host).isLoopbackAddress();
    } catch (IllegalArgumentException notALiteral) {
      return false;
    }
  }

  /** {@code host:port}, with brackets around an IPv6 literal. */
  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}

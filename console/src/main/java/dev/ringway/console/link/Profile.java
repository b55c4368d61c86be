package dev.ringway.console.link;

import java.nio.file.Path;

/**
 * How to reach and log in to one server.
 *
 * @param name what the operator calls it
 * @param address {@code host:port} or a {@code service:jmx:} URL (see {@link ServerAddress})
 * @param user the JMX user, or null when the server has no {@code jmx.users}
 * @param password the password, or null
 * @param tls whether the connector speaks TLS ({@code jmx.tls})
 * @param trustStore a PKCS12 or JKS trust store holding the server's certificate, or null for the
 *     JVM's own trust
 * @param trustStorePassword the trust store's password, or null
 */
public record Profile(
    String name,
    String address,
    String user,
    String password,
    boolean tls,
    Path trustStore,
    String trustStorePassword) {

  /** A plain, unauthenticated profile for {@code address}. */
  public static Profile of(String address) {
    return new Profile(address, address, null, null, false, null, null);
  }

  /** This profile logging in as {@code user} with {@code password}. */
  public Profile withLogin(String user, String password) {
    return new Profile(name, address, user, password, tls, trustStore, trustStorePassword);
  }

  /** The parsed address; throws {@link IllegalArgumentException} when it is not one. */
  public ServerAddress serverAddress() {
    return ServerAddress.parse(address);
  }
}

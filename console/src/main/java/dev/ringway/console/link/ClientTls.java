package dev.ringway.console.link;

import java.nio.file.Path;

/**
 * TLS trust for the JMX connection. The RMI stubs the server hands out carry an {@code
 * SslRMIClientSocketFactory}, which always uses the JVM's default SSL context; so a trust store can
 * only be given through the standard {@code javax.net.ssl} properties, before the first TLS
 * connection, and then holds for the whole console process.
 */
final class ClientTls {
  private ClientTls() {}

  static void trust(Path trustStore, String password) {
    if (trustStore == null) {
      return;
    }
    System.setProperty("javax.net.ssl.trustStore", trustStore.toAbsolutePath().toString());
    if (password != null) {
      System.setProperty("javax.net.ssl.trustStorePassword", password);
    }
    String file = trustStore.getFileName().toString();
    if (file.endsWith(".p12") || file.endsWith(".pfx")) {
      System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }
  }
}

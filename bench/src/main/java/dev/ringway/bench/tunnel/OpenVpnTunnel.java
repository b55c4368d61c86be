package dev.ringway.bench.tunnel;

import dev.ringway.testkit.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenVPN 2.6 in userspace ({@code disable-dco}): UDP, TLS with a CA, server and client certificate
 * made with openssl for this run, AES-256-GCM data channel, a {@code tun} device on both sides, the
 * client on 10.8.0.0/24.
 */
final class OpenVpnTunnel implements Tunnel {
  static final String DEVICE = "rwbvpn0";
  private static final Duration OPENSSL_LIMIT = Duration.ofSeconds(30);

  private Child server;
  private Child client;
  private BenchNetwork network;

  @Override
  public void establish(BenchNetwork network, Path dir) {
    this.network = network;
    Path pki = dir.resolve("openvpn");
    try {
      Files.createDirectories(pki);
      makeCertificates(pki);
      Files.writeString(pki.resolve("server.conf"), serverConfig(pki));
      Files.writeString(pki.resolve("client.conf"), clientConfig(pki));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server =
        Child.start(
            "openvpn server",
            network.server,
            List.of("openvpn", "--config", pki.resolve("server.conf").toString()),
            Map.of(),
            dir.resolve("openvpn-server.log"));
    Tunnel.await(
        "the OpenVPN server to start",
        Duration.ofSeconds(30),
        () -> server.output().contains("Initialization Sequence Completed") || !server.isAlive());
    if (!server.isAlive()) {
      throw new MeasurementException("the OpenVPN server exited:\n" + server.tail());
    }
    client =
        Child.start(
            "openvpn client",
            network.client,
            List.of("openvpn", "--config", pki.resolve("client.conf").toString()),
            Map.of(),
            dir.resolve("openvpn-client.log"));
    Tunnel.await(
        "the OpenVPN client to connect",
        Duration.ofSeconds(60),
        () -> client.output().contains("Initialization Sequence Completed") || !client.isAlive());
    if (!client.isAlive()) {
      throw new MeasurementException("the OpenVPN client exited:\n" + client.tail());
    }
    network.routeUpstream("dev", DEVICE);
    Tunnel.awaitUpstream(network, "OpenVPN");
  }

  /** A P-256 CA, and a server and a client certificate it signed, valid for two days. */
  private static void makeCertificates(Path pki) throws IOException {
    String ca = pki.resolve("ca.crt").toString();
    String caKey = pki.resolve("ca.key").toString();
    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        caKey,
        "-out",
        ca,
        "-subj",
        "/CN=ringway-bench-ca",
        "-days",
        "2");
    for (String who : List.of("server", "client")) {
      Path ext = pki.resolve(who + ".ext");
      Files.writeString(
          ext,
          "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\nextendedKeyUsage="
              + who
              + "Auth\n");
      String request = pki.resolve(who + ".csr").toString();
      openssl(
          "req",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-nodes",
          "-keyout",
          pki.resolve(who + ".key").toString(),
          "-out",
          request,
          "-subj",
          "/CN=" + who);
      openssl(
          "x509",
          "-req",
          "-in",
          request,
          "-CA",
          ca,
          "-CAkey",
          caKey,
          "-CAcreateserial",
          "-out",
          pki.resolve(who + ".crt").toString(),
          "-days",
          "2",
          "-extfile",
          ext.toString());
    }
  }

  private static void openssl(String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Commands.Result result = Commands.run(OPENSSL_LIMIT, command);
    if (result.exitCode() != 0) {
      throw new MeasurementException(
          String.join(" ", command)
              + " exited "
              + result.exitCode()
              + ": "
              + result.output().strip());
    }
  }

  private static String serverConfig(Path pki) {
    return """
    server 10.8.0.0 255.255.255.0
    topology subnet
    proto udp
    local %s
    port 1194
    dev %s
    dev-type tun
    ca %s
    cert %s
    key %s
    dh none
    data-ciphers AES-256-GCM
    disable-dco
    verb 3
    """
        .formatted(
            BenchNetwork.SERVER_OUTSIDE,
            DEVICE,
            pki.resolve("ca.crt"),
            pki.resolve("server.crt"),
            pki.resolve("server.key"));
  }

  private static String clientConfig(Path pki) {
    return """
    client
    proto udp
    remote %s 1194
    nobind
    dev %s
    dev-type tun
    ca %s
    cert %s
    key %s
    remote-cert-tls server
    data-ciphers AES-256-GCM
    disable-dco
    verb 3
    """
        .formatted(
            BenchNetwork.SERVER_OUTSIDE,
            DEVICE,
            pki.resolve("ca.crt"),
            pki.resolve("client.crt"),
            pki.resolve("client.key"));
  }

  @Override
  public Optional<Child> serverProcess() {
    return Optional.ofNullable(server);
  }

  @Override
  public Optional<Child> clientProcess() {
    return Optional.ofNullable(client);
  }

  @Override
  public void close() {
    if (network != null) {
      network.unrouteUpstream();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }
}

package dev.ringway.bench.tunnel;

import dev.ringway.testkit.Commands;
import dev.ringway.testkit.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * wireguard-go (userspace) on both sides, keys from {@code wg genkey}, configured with {@code wg}
 * and {@code ip}; the client on 10.9.0.0/24. wireguard-go's control socket lives in {@code
 * /var/run/wireguard/<device>.sock}, which no namespace separates, so each device gets a name of
 * its own.
 */
final class WireGuardTunnel implements Tunnel {
  private static final int PORT = 51820;
  // wireguard-go refuses to run where the kernel has WireGuard unless told the choice is
  // deliberate.
  private static final Map<String, String> USERSPACE =
      Map.of("WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD", "1");

  private final String serverDevice;
  private final String clientDevice;
  private Child server;
  private Child client;
  private BenchNetwork network;

  WireGuardTunnel() {
    String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
    serverDevice = "rwbwgs" + suffix;
    clientDevice = "rwbwgc" + suffix;
  }

  @Override
  public void establish(BenchNetwork network, Path dir) {
    this.network = network;
    Path keys = dir.resolve("wireguard");
    String serverPublic;
    String clientPublic;
    try {
      Files.createDirectories(keys);
      serverPublic = keyPair(keys, "server");
      clientPublic = keyPair(keys, "client");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server = startDevice("wireguard-go server", network.server, serverDevice, dir);
    checked(
        network.server.exec(
            "wg",
            "set",
            serverDevice,
            "listen-port",
            Integer.toString(PORT),
            "private-key",
            keys.resolve("server.key").toString(),
            "peer",
            clientPublic,
            "allowed-ips",
            "10.9.0.2/32"));
    up(network.server, serverDevice, "10.9.0.1/24");
    client = startDevice("wireguard-go client", network.client, clientDevice, dir);
    checked(
        network.client.exec(
            "wg",
            "set",
            clientDevice,
            "private-key",
            keys.resolve("client.key").toString(),
            "peer",
            serverPublic,
            "endpoint",
            BenchNetwork.SERVER_OUTSIDE + ":" + PORT,
            "allowed-ips",
            "10.9.0.0/24," + BenchNetwork.UPSTREAM_NET));
    up(network.client, clientDevice, "10.9.0.2/24");
    network.routeUpstream("dev", clientDevice);
    Tunnel.awaitUpstream(network, "wireguard-go");
  }

  /** Writes {@code who}.key and returns the public key. */
  private static String keyPair(Path keys, String who) throws IOException {
    String privateKey = checked(Commands.run("wg", "genkey")).output().strip();
    Path file = keys.resolve(who + ".key");
    Files.writeString(file, privateKey + "\n");
    return checked(Commands.run("sh", "-c", "wg pubkey < \"$0\"", file.toString()))
        .output()
        .strip();
  }

  private Child startDevice(String name, Netns netns, String device, Path dir) {
    Child child =
        Child.start(
            name,
            netns,
            List.of("wireguard-go", "-f", device),
            USERSPACE,
            dir.resolve(device + ".log"));
    Path socket = Path.of("/var/run/wireguard", device + ".sock");
    Tunnel.await(
        name + " to open its device",
        Duration.ofSeconds(20),
        () -> Files.exists(socket) || !child.isAlive());
    if (!child.isAlive()) {
      throw new MeasurementException(name + " exited:\n" + child.tail());
    }
    return child;
  }

  private static void up(Netns netns, String device, String address) {
    checked(netns.exec("ip", "addr", "add", address, "dev", device));
    checked(netns.exec("ip", "link", "set", device, "mtu", "1420", "up"));
  }

  private static Commands.Result checked(Commands.Result result) {
    if (result.exitCode() != 0) {
      throw new MeasurementException(
          String.join(" ", result.command())
              + " exited "
              + result.exitCode()
              + ": "
              + result.output().strip());
    }
    return result;
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

package dev.ringway.bench.tunnel;

import java.nio.file.Path;
import java.util.Optional;

/** No tunnel: the client routes upstream through the server's outside address. The limit. */
final class PlainRouting implements Tunnel {
  private BenchNetwork network;

  @Override
  public void establish(BenchNetwork network, Path dir) {
    this.network = network;
    network.routeUpstream("via", BenchNetwork.SERVER_OUTSIDE);
    Tunnel.awaitUpstream(network, "plain routing");
  }

  @Override
  public Optional<Child> serverProcess() {
    return Optional.empty();
  }

  @Override
  public Optional<Child> clientProcess() {
    return Optional.empty();
  }

  @Override
  public void close() {
    if (network != null) {
      network.unrouteUpstream();
    }
  }
}

package dev.ringway.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace created by a test and deleted when closed. Names carry the prefix {@code
 * rwt-} and a random suffix, so parallel or leftover runs never collide; {@link #removeStale()}
 * deletes leftovers of earlier runs that died.
 */
public final class Netns implements AutoCloseable {
  private static final String PREFIX = "rwt-";
  private final String name;

  private Netns(String name) {
    this.name = name;
  }

  /** Creates a namespace named {@code rwt-<label>-<random>} with its loopback up. */
  public static Netns create(String label) {
    String name = PREFIX + label + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
    Commands.run("ip", "netns", "add", name).orThrow();
    Netns netns = new Netns(name);
    netns.exec("ip", "link", "set", "lo", "up").orThrow();
    return netns;
  }

  /** The namespace's name, as {@code ip netns} knows it. */
  public String name() {
    return name;
  }

  /** Runs a command inside the namespace. */
  public Commands.Result exec(String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(List.of(command));
    return Commands.run(java.time.Duration.ofSeconds(60), full);
  }

  /** A process builder that starts {@code command} inside the namespace. */
  public ProcessBuilder processBuilder(List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(command);
    return new ProcessBuilder(full);
  }

  /**
   * Connects this namespace to {@code other} with a veth pair, giving each side an IPv4 address
   * with a /24 prefix.
   */
  public void link(Netns other, String myAddress, String otherAddress) {
    String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
    String mine = "rwa" + suffix;
    String theirs = "rwb" + suffix;
    Commands.run(
            "ip",
            "link",
            "add",
            mine,
            "netns",
            name,
            "type",
            "veth",
            "peer",
            "name",
            theirs,
            "netns",
            other.name)
        .orThrow();
    exec("ip", "addr", "add", myAddress + "/24", "dev", mine).orThrow();
    exec("ip", "link", "set", mine, "up").orThrow();
    other.exec("ip", "addr", "add", otherAddress + "/24", "dev", theirs).orThrow();
    other.exec("ip", "link", "set", theirs, "up").orThrow();
  }

  /** Deletes namespaces left behind by earlier test runs that were killed. */
  public static void removeStale() {
    Commands.Result list = Commands.run("ip", "netns", "list");
    for (String line : list.output().split("\n")) {
      String candidate = line.split("\\s+")[0];
      if (candidate.startsWith(PREFIX)) {
        Commands.run("ip", "netns", "del", candidate);
      }
    }
  }

  @Override
  public void close() {
    // Deleting the namespace also deletes the veth ends and TUN devices that live in it.
    Commands.run("ip", "netns", "del", name);
  }
}

package dev.ringway.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a tagged test needs beyond the JVM, and how to tell whether this machine has it. */
public enum Requirement {
  /** A kernel with io_uring enabled for this process. */
  KERNEL("kernel"),
  /** Root, {@code /dev/net/tun} and the {@code ip} tool, to build namespaces with TUN devices. */
  NETNS("netns"),
  /** A JavaFX platform: Monocle headless, or an X display. */
  UI("ui"),
  /**
   * wolfSSL built with DTLS 1.3 ({@link WolfSsl}): already in its cache, or root to install the
   * build tools and Debian's source package.
   */
  WOLFSSL("wolfssl"),
  /** Prometheus's {@code promtool}, to check alerting rules (Debian package prometheus). */
  PROMTOOL("promtool");

  private final String tag;

  Requirement(String tag) {
    this.tag = tag;
  }

  /** The JUnit tag carried by tests with this requirement. */
  public String tag() {
    return tag;
  }

  /** Why this machine cannot run such tests, or empty when it can. */
  public Optional<String> missing() {
    List<String> missing = new ArrayList<>();
    switch (this) {
      case KERNEL -> {
        if (!System.getProperty("os.name", "").equals("Linux")) {
          missing.add("io_uring needs Linux, this is " + System.getProperty("os.name"));
        }
        Path disabled = Path.of("/proc/sys/kernel/io_uring_disabled");
        String value = readTrimmed(disabled);
        if (value != null && !value.equals("0")) {
          missing.add(
              "io_uring is disabled (kernel.io_uring_disabled="
                  + value
                  + "); set it to 0 with sysctl");
        }
      }
      case NETNS -> {
        if (!isRoot()) {
          missing.add("namespaces and TUN devices need root (run as root or with sudo)");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
          missing.add("/dev/net/tun is missing (load the tun module: modprobe tun)");
        }
        if (Commands.which("ip").isEmpty()) {
          missing.add("the ip tool is missing (apt-get install iproute2)");
        }
      }
      case UI -> {
        boolean monocle = System.getProperty("glass.platform", "").equals("Monocle");
        boolean display = System.getenv("DISPLAY") != null;
        if (!monocle && !display) {
          missing.add("no JavaFX platform: set -Dglass.platform=Monocle or DISPLAY");
        }
      }
      case WOLFSSL -> {
        if (!WolfSsl.isBuilt() && !isRoot()) {
          missing.add(
              "wolfSSL with DTLS 1.3 is not built in "
                  + WolfSsl.cacheDirectory()
                  + " and building it needs root (apt-get); run testkit/wolfssl/build.sh as root");
        }
      }
      case PROMTOOL -> {
        if (Commands.which("promtool").isEmpty()) {
          missing.add("promtool is missing (apt-get install prometheus)");
        }
      }
    }
    return missing.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", missing));
  }

  static boolean isRoot() {
    String status = readTrimmed(Path.of("/proc/self/status"));
    if (status == null) {
      return false;
    }
    for (String line : status.split("\n")) {
      if (line.startsWith("Uid:")) {
        String[] ids = line.substring(4).trim().split("\\s+");
        return ids.length > 1 && ids[1].equals("0");
      }
    }
    return false;
  }

  private static String readTrimmed(Path path) {
    try {
      return Files.readString(path).trim();
    } catch (Exception e) {
      return null;
    }
  }
}

package dev.ringway.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * wolfSSL built from Debian 12's source package with DTLS 1.3, the library Lightway itself uses: a
 * peer nobody here wrote. {@link #get()} runs {@code testkit/wolfssl/build.sh} once (it caches the
 * build in {@link #cacheDirectory()}, so later runs and later JVMs start at once) and returns where
 * the example programs and the shared library are.
 *
 * <p>The example programs look for wolfSSL's own tree relative to their working directory: run them
 * with {@link #sourceTree()} as the working directory and pass certificates by absolute path (the
 * bundled test certificates have expired; tests generate their own).
 */
public final class WolfSsl {
  private static WolfSsl built;

  private final Path cache;

  private WolfSsl(Path cache) {
    this.cache = cache;
  }

  /** Where the build is cached: {@code RINGWAY_WOLFSSL_CACHE}, else a fixed directory. */
  public static Path cacheDirectory() {
    String configured = System.getenv("RINGWAY_WOLFSSL_CACHE");
    return Path.of(
        configured == null || configured.isBlank()
            ? "/var/cache/ringway-test/wolfssl"
            : configured);
  }

  /** True when a complete build is already in the cache. */
  public static boolean isBuilt() {
    return Files.exists(cacheDirectory().resolve(".built"));
  }

  /**
   * The build, made on first use (about a minute and a half); throws with the log when it fails.
   */
  public static synchronized WolfSsl get() {
    if (built == null) {
      Path script = buildScript();
      Commands.Result result =
          Commands.run(Duration.ofMinutes(15), List.of("bash", script.toString()));
      if (result.exitCode() != 0 || !isBuilt()) {
        throw new IllegalStateException(
            "could not build wolfSSL with " + script + ":\n" + result.output());
      }
      built = new WolfSsl(cacheDirectory());
    }
    return built;
  }

  /** The configured and built source tree: the working directory for the example programs. */
  public Path sourceTree() {
    return cache.resolve("src");
  }

  /** {@code examples/server/server}: {@code -u -v 4} serves DTLS 1.3. */
  public Path exampleServer() {
    return sourceTree().resolve("examples/server/server");
  }

  /** {@code examples/client/client}: {@code -u -v 4} connects over DTLS 1.3. */
  public Path exampleClient() {
    return sourceTree().resolve("examples/client/client");
  }

  /** The installed shared library, for binding through the FFM API. */
  public Path library() {
    return cache.resolve("prefix/lib/libwolfssl.so");
  }

  /** The installed headers ({@code wolfssl/ssl.h} …), to read constants and signatures from. */
  public Path includeDirectory() {
    return cache.resolve("prefix/include");
  }

  private static Path buildScript() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path at = dir; at != null; at = at.getParent()) {
      Path candidate = at.resolve("testkit/wolfssl/build.sh");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("testkit/wolfssl/build.sh not found above " + dir);
  }
}

package dev.ringway.packaging;

import dev.ringway.testkit.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What the build made, as the POM tells the tests through system properties. */
final class Artifacts {
  private Artifacts() {}

  static Path tarball() {
    return existing("ringway.tarball");
  }

  static Path deb() {
    return existing("ringway.deb");
  }

  static Path unit() {
    return existing("ringway.unit");
  }

  static String mavenVersion() {
    return property("ringway.version");
  }

  static String debianVersion() {
    return property("ringway.deb.version");
  }

  /** The JDK modules the POM asks jlink for. */
  static Set<String> runtimeModules() {
    return new TreeSet<>(Arrays.asList(property("ringway.runtime.modules").split(",")));
  }

  /** Unpacks the tarball into {@code dir} and returns its top-level directory. */
  static Path unpackTarball(Path dir) {
    Commands.run(
            Duration.ofSeconds(60),
            List.of("tar", "-xzf", tarball().toString(), "-C", dir.toString()))
        .orThrow();
    return dir.resolve("ringway-" + mavenVersion());
  }

  private static Path existing(String key) {
    Path path = Path.of(property(key));
    if (!Files.exists(path)) {
      throw new IllegalStateException(
          path + " is missing: build it with mvn -pl packaging package");
    }
    return path;
  }

  private static String property(String key) {
    String value = System.getProperty(key);
    if (value == null) {
      throw new IllegalStateException(
          "system property " + key + " is unset: run the tests through Maven (failsafe)");
    }
    return value;
  }
}

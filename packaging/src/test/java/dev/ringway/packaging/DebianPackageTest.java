package dev.ringway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .deb as Debian's tools see it, before anything is installed. */
class DebianPackageTest {
  @TempDir static Path extracted;

  @BeforeAll
  static void extract() {
    dpkgDeb("-x", Artifacts.deb().toString(), extracted.toString());
  }

  @Test
  void lintianReportsNoErrors() {
    assertThat(Commands.which("lintian"))
        .as("lintian is missing: apt-get install lintian (./ringway test installs it)")
        .isPresent();

    Commands.Result lintian =
        Commands.run(Duration.ofMinutes(3), List.of("lintian", Artifacts.deb().toString()));

    assertThat(lintian.output().lines().filter(line -> line.startsWith("E: ")))
        .as(lintian.output())
        .isEmpty();
    assertThat(lintian.exitCode()).as(lintian.output()).isZero();
  }

  @Test
  void versionIsTheDebianFormOfTheMavenVersion() throws IOException {
    String version = dpkgDeb("-f", Artifacts.deb().toString(), "Version").strip();

    assertThat(version).isEqualTo(Artifacts.debianVersion());
    assertThat(Artifacts.deb().getFileName().toString())
        .isEqualTo("ringway_" + version + "_amd64.deb");
    String changelog =
        Commands.run("zcat", extracted.resolve("usr/share/doc/ringway/changelog.gz").toString())
            .orThrow()
            .output();
    assertThat(changelog.lines().findFirst())
        .contains("ringway (" + version + ") unstable; urgency=medium");
    assertThat(Artifacts.mavenVersion().replace('-', '~').toLowerCase()).isEqualTo(version);
  }

  @Test
  void dependsOnlyOnWhatDebianHas() {
    // The runtime is private: no JDK package is needed, only what the maintainer scripts (adduser
    // with --comment) and the runtime's native code use.
    assertThat(dpkgDeb("-f", Artifacts.deb().toString(), "Depends").strip())
        .isEqualTo("adduser (>= 3.130), libc6");
  }

  @Test
  void configurationIsAConffile() {
    assertThat(dpkgDeb("-I", Artifacts.deb().toString(), "conffiles").strip())
        .isEqualTo("/etc/ringway/ringway.yaml");
    assertThat(extracted.resolve("etc/ringway/ringway.yaml"))
        .content()
        .startsWith("# Ringway configuration (server)");
  }

  @Test
  void installsTheTreeUnderUsrLibWithTheCommandOnThePath() throws IOException {
    Path command = extracted.resolve("usr/bin/ringway");

    assertThat(Files.isSymbolicLink(command)).isTrue();
    assertThat(Files.readSymbolicLink(command)).hasToString("../lib/ringway/bin/ringway");
    assertThat(extracted.resolve("usr/lib/ringway/runtime/bin/java")).isExecutable();
    assertThat(extracted.resolve("usr/lib/ringway/lib/server.classpath")).isRegularFile();
    assertThat(extracted.resolve("usr/lib/systemd/system/ringway.service"))
        .hasSameTextualContentAs(Artifacts.unit());
    assertThat(extracted.resolve("usr/share/doc/ringway/copyright")).isRegularFile();
  }

  @Test
  void shipsNoStateOfItsOwn() {
    // /var/lib/ringway belongs to the ringway user, which postinst creates; the package must not
    // own it, or dpkg would fight the service over it.
    assertThat(extracted.resolve("var")).doesNotExist();
  }

  private static String dpkgDeb(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("dpkg-deb"));
    command.addAll(List.of(args));
    return Commands.run(Duration.ofSeconds(60), command).orThrow().output();
  }
}

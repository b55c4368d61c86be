package dev.ringway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code bad/} is a broken configuration; its sibling {@code .expected} holds the
 * exact output of {@code ringway config check} ({@code {file}} stands for the file as named and
 * {@code {dir}} for its absolute directory). Leading comments set the role ({@code # role:
 * client}), overrides ({@code # set: KEY=VALUE}) and environment ({@code # env: NAME=VALUE}).
 */
class BadFileCatalogueTest {

  private static final Path BAD = Path.of("src/test/resources/bad");

  static Stream<String> badFiles() throws IOException {
    try (Stream<Path> files = Files.list(BAD)) {
      List<String> names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml"))
              .map(n -> n.substring(0, n.length() - ".yaml".length()))
              .sorted()
              .toList();
      assertThat(names).hasSizeGreaterThanOrEqualTo(30);
      return names.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void configCheckExitsTwoWithExactlyTheExpectedErrors(String name) throws IOException {
    Path file = BAD.resolve(name + ".yaml");
    Role role = null;
    Map<String, String> sets = new LinkedHashMap<>();
    Map<String, String> environment = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("# role: ")) {
        role = Role.valueOf(line.substring("# role: ".length()).toUpperCase(Locale.ROOT));
      } else if (line.startsWith("# set: ")) {
        String[] kv = line.substring("# set: ".length()).split("=", 2);
        sets.put(kv[0], kv[1]);
      } else if (line.startsWith("# env: ")) {
        String[] kv = line.substring("# env: ".length()).split("=", 2);
        environment.put(kv[0], kv[1]);
      }
    }
    String expected =
        Files.readString(BAD.resolve(name + ".expected"))
            .replace("{file}", file.toString())
            .replace("{dir}", BAD.toAbsolutePath().toString());

    ConfigCheck.Result result = ConfigCheck.check(file, sets, role, environment::get);

    assertThat(String.join("\n", result.lines()) + "\n").isEqualTo(expected);
    assertThat(result.exitCode()).isEqualTo(ConfigCheck.INVALID);
  }
}

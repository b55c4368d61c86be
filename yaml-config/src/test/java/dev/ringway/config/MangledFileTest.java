package dev.ringway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of damaged copies of the default file (without its comments) (a fixed seed, so a failure
 * repeats): the loader never throws, and every error it reports points into the file with a line
 * and column.
 */
class MangledFileTest {

  private static final String NOISE = ":{}[],-#&*!|>'\"%@`\t\n ~?x0.$";

  @TempDir Path dir;

  @Test
  void everyErrorInADamagedFileHasALineAndAColumn() throws IOException {
    String original =
        DefaultsWriter.annotatedYaml(null)
            .lines()
            .filter(line -> !line.isBlank() && !line.strip().startsWith("#"))
            .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    Random random = new Random(20261124);
    Path file = dir.resolve("ringway.yaml");
    int invalid = 0;
    for (int round = 0; round < 600; round++) {
      StringBuilder text = new StringBuilder(original);
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        int at = random.nextInt(text.length());
        switch (random.nextInt(3)) {
          case 0 -> text.deleteCharAt(at);
          case 1 -> text.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
          default -> text.setCharAt(at, NOISE.charAt(random.nextInt(NOISE.length())));
        }
      }
      Files.writeString(file, text);

      ConfigOutcome outcome = ConfigLoader.load(file, Map.of(), Role.SERVER, name -> null);

      if (outcome instanceof ConfigOutcome.Invalid(var errors)) {
        invalid++;
        String mangled = text.toString();
        assertThat(errors)
            .as(mangled)
            .isNotEmpty()
            .allSatisfy(e -> {
              assertThat(e.origin()).isEqualTo(file.toString());
              assertThat(e.line()).isPositive();
              assertThat(e.column()).isPositive();
              assertThat(e.render()).doesNotContain("\n");
            });
      }
    }
    assertThat(invalid).as("damaged files that were refused").isGreaterThan(300);
  }
}

package dev.ringway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultsWriterTest {

  @TempDir Path dir;

  private ConfigOutcome loadText(String yaml, Map<String, String> sets, Role role)
      throws IOException {
    Path file = dir.resolve("defaults.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, sets, role, name -> null);
  }

  @Test
  void theFullDefaultFileLoadsBackToTheDefaultConfig() throws IOException {
    assertThat(loadText(DefaultsWriter.annotatedYaml(null), Map.of(), Role.SERVER))
        .isEqualTo(new ConfigOutcome.Valid(Config.defaults()));
  }

  @Test
  void theServerDefaultFileLoadsBackToTheDefaultConfig() throws IOException {
    assertThat(loadText(DefaultsWriter.annotatedYaml(Role.SERVER), Map.of(), Role.SERVER))
        .isEqualTo(new ConfigOutcome.Valid(Config.defaults()));
  }

  @Test
  void theClientDefaultFileLoadsBackToTheDefaultsPlusWhatAClientMustSay() throws IOException {
    Path token = Files.writeString(dir.resolve("token"), "jwt");
    Map<String, String> required =
        Map.of(
            "server",
            "192.0.2.1:27690",
            "tls.insecure",
            "true",
            "auth.tokenFile",
            token.toString());

    ConfigOutcome outcome =
        loadText(DefaultsWriter.annotatedYaml(Role.CLIENT), required, Role.CLIENT);

    Config defaults = Config.defaults();
    Config expected =
        new Config(
            defaults.mode(),
            defaults.bind(),
            new Endpoint("192.0.2.1", 27690),
            defaults.stateDir(),
            new Config.Tls(null, null, null, true, Config.Cipher.AES256),
            new Config.Auth(null, null, null, null, token),
            defaults.network(),
            defaults.io(),
            defaults.jmx(),
            defaults.log(),
            defaults.keepalive(),
            defaults.reconnect(),
            defaults.session(),
            defaults.stats(),
            defaults.history(),
            defaults.alerts());
    assertThat(outcome).isEqualTo(new ConfigOutcome.Valid(expected));
  }

  @Test
  void everyKeyOfARoleIsWrittenWithACommentAboveIt() {
    for (Role role : Role.values()) {
      String yaml = DefaultsWriter.annotatedYaml(role);
      for (Setting<?> setting : Settings.ALL) {
        String name = setting.key().substring(setting.key().lastIndexOf('.') + 1);
        String indent = "  ".repeat(setting.key().split("\\.").length - 1);
        String line = indent + name + ": ";
        if (setting.roles().contains(role)) {
          int at = yaml.indexOf("\n" + line);
          assertThat(at).as(setting.key()).isPositive();
          String before = yaml.substring(yaml.lastIndexOf('\n', at - 1) + 1, at);
          assertThat(before).as(setting.key()).startsWith(indent + "# ");
        }
      }
    }
  }

  @Test
  void liveKeysNameTheirJmxAttributeAndOtherKeysSayTheyNeedARestart() {
    String yaml = DefaultsWriter.annotatedYaml(null);

    assertThat(yaml)
        .contains(
            "    # Live (JMX TunRxSlots). Value: a whole number between 1 and 4096.\n"
                + "    rxSlots: 64\n");
    assertThat(yaml)
        .contains(
            "  # Needs a restart. Value: an IPv4 network, e.g. 10.125.0.0/16 (prefix /8 to /30).\n"
                + "  pool: 10.125.0.0/16\n");
    assertThat(yaml).contains("Client only.");
  }

  @Test
  void commentLinesStayWithinOneHundredColumns() {
    assertThat(DefaultsWriter.annotatedYaml(null).lines())
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
  }
}

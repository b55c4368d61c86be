package dev.ringway.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RingwayCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Run(int exitCode, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  private static Run run(String... args) {
    CommandLine cli = RingwayCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void decodesAFrameByKindName() throws Exception {
    Run run = run("decode", "--frame", "02f00b0000");

    assertThat(run.exitCode()).isZero();
    JsonNode frame = run.json().get("frame");
    assertThat(frame.get("kind").asText()).isEqualTo("Ping");
    assertThat(frame.get("id").asInt()).isEqualTo(0xf00b);
  }

  @Test
  void decodesAUdpHeaderAndDetectsItWithoutAFlag() throws Exception {
    Run flagged = run("decode", "--udp", "4865010201000000123456789abcdef0");
    Run detected = run("decode", "48 65 01 02 01 00 00 00", "12 34 56 78 9a bc de f0");

    assertThat(flagged.exitCode()).isZero();
    assertThat(detected.out()).isEqualTo(flagged.out());
    JsonNode header = flagged.json().get("header");
    assertThat(header.get("version").asText()).isEqualTo("1.2");
    assertThat(header.get("session").asText()).isEqualTo("123456789abcdef0");
  }

  @Test
  void namesTheErrorKindAndExitsOne() throws Exception {
    Run truncated = run("decode", "--frame", "02f00b");
    Run badMagic = run("decode", "--udp", "485f010201000000123456789abcdef0");

    assertThat(truncated.exitCode()).isEqualTo(1);
    assertThat(truncated.json().get("error").asText()).isEqualTo("InsufficientData");
    assertThat(badMagic.exitCode()).isEqualTo(1);
    assertThat(badMagic.json().get("error").asText()).isEqualTo("InvalidMagicNumber");
  }

  @Test
  void rejectsTextThatIsNotHex() throws Exception {
    Run run = run("decode", "--frame", "0z");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("error").asText()).isEqualTo("InvalidHex");
    assertThat(run.json().get("detail").asText()).contains("'z'");
  }

  @Test
  void configCheckReportsEveryErrorWithPositionAndExitsTwo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "io:\n  tun:\n    rxSlots: 0\n  udp:\n    rxSlotz: 4\n");

    Run run = run("config", "check", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(":3:5: io.tun.rxSlots").contains(":5:5: io.udp.rxSlotz");
    assertThat(run.err()).contains("did you mean");
  }

  @Test
  void setOverridesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ok.yaml");
    Files.writeString(file, "io:\n  tun:\n    rxSlots: 0\n");

    Run run = run("config", "check", file.toString(), "--set", "io.tun.rxSlots=32");

    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  @Test
  void defaultsLoadBackAsAValidFile(@TempDir Path dir) throws Exception {
    Run defaults = run("config", "defaults", "--role", "server");
    Path file = dir.resolve("defaults.yaml");
    Files.writeString(file, defaults.out());

    Run check = run("config", "check", file.toString(), "--role", "server");

    assertThat(defaults.exitCode()).isZero();
    assertThat(check.exitCode()).as(check.err()).isZero();
  }

  @Test
  void schemaIsJsonSchema() throws Exception {
    Run run = run("config", "schema");

    assertThat(run.exitCode()).isZero();
    assertThat(run.json().get("$schema").asText()).contains("json-schema.org");
    assertThat(run.json().at("/properties/io/properties/tun").isObject()).isTrue();
  }

  @Test
  void unknownSubcommandIsAUsageError() {
    Run run = run("nonsense");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Usage");
  }
}

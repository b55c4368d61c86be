package dev.ringway.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringway.core.wire.DecodeReport;
import dev.ringway.core.wire.DecodeReport.DecodeResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ringway decode [--udp|--frame] HEX}: a captured datagram or frame as one JSON object. */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = {
      "Decode a captured UDP datagram (16-byte outer header and what follows) or one frame, and"
          + " print it as one JSON object; on failure exit 1 with {\"error\":KIND,\"detail\":…}.",
      "Without --udp or --frame, input that starts with the magic \"He\" (48 65) is a datagram."
    })
final class DecodeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true)
  Kind kind;

  static final class Kind {
    @picocli.CommandLine.Option(names = "--udp", description = "a UDP datagram with its header")
    boolean udp;

    @picocli.CommandLine.Option(names = "--frame", description = "one frame (kind byte first)")
    boolean frame;
  }

  @Parameters(
      paramLabel = "HEX",
      arity = "1..*",
      description = "hex digits (whitespace ignored; several arguments are joined); - reads stdin")
  String[] hex;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    String text = hex.length == 1 && hex[0].equals("-") ? readStdin() : String.join("", hex);
    byte[] bytes;
    try {
      bytes = DecodeReport.parseHex(text);
    } catch (IllegalArgumentException e) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("error", "InvalidHex");
      error.put("detail", e.getMessage());
      print(out, error);
      return RingwayCli.RUNTIME_FAILURE;
    }
    DecodeResult result =
        udp(bytes) ? DecodeReport.decodeUdp(bytes) : DecodeReport.decodeFrame(bytes);
    print(out, result.json());
    return result.ok() ? 0 : RingwayCli.RUNTIME_FAILURE;
  }

  private boolean udp(byte[] bytes) {
    if (kind != null) {
      return kind.udp;
    }
    return bytes.length >= 2 && bytes[0] == 'H' && bytes[1] == 'e';
  }

  private static void print(PrintWriter out, Map<String, Object> json)
      throws JsonProcessingException {
    out.println(JSON.writeValueAsString(json));
    out.flush();
  }

  private static String readStdin() throws IOException {
    return new String(System.in.readAllBytes(), StandardCharsets.US_ASCII);
  }
}

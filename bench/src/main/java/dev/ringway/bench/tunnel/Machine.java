package dev.ringway.bench.tunnel;

import dev.ringway.testkit.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts a result needs to be read against: the machine, the software, and how busy the machine
 * was just before the run (the load average; other work on a two-core machine skews everything).
 */
record Machine(
    int cores,
    String cpu,
    String kernel,
    String jdk,
    String loadAverage,
    Map<String, String> tools) {

  static Machine describe() {
    Map<String, String> tools = new LinkedHashMap<>();
    tools.put("iperf3", firstLine("iperf3", "--version"));
    tools.put("openvpn", firstLine("openvpn", "--version"));
    tools.put("wireguard-go", firstLine("wireguard-go", "--version"));
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.vendor") + " " + Runtime.version(),
        currentLoadAverage(),
        tools);
  }

  /** The 1, 5 and 15 minute load averages, as {@code /proc/loadavg} gives them. */
  static String currentLoadAverage() {
    try {
      List<String> fields = List.of(Files.readString(Path.of("/proc/loadavg")).split(" "));
      return String.join(" ", fields.subList(0, 3));
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String firstLine(String... command) {
    Commands.Result result = Commands.run(command);
    return result.exitCode() == 0
        ? result.output().lines().findFirst().orElse("").strip()
        : "not available";
  }

  /** One Markdown line per fact. */
  String markdown() {
    StringBuilder text = new StringBuilder();
    text.append("- Machine: ").append(cores).append(" cores, ").append(cpu).append('\n');
    text.append("- Kernel: ").append(kernel).append('\n');
    text.append("- JDK: ").append(jdk).append('\n');
    text.append("- Load average before the run (1/5/15 min): ").append(loadAverage).append('\n');
    tools.forEach((tool, version) ->
        text.append("- ").append(tool).append(": ").append(version).append('\n'));
    return text.toString();
  }
}

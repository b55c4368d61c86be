package dev.ringway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code ringway config defaults}: a complete configuration file with every key at its default and
 * a comment per key, written from {@link Settings}, so it loads back to {@link Config#defaults()}.
 */
public final class DefaultsWriter {

  private static final int WIDTH = 100;
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./:@-]*");

  /** Plain scalars that YAML would read as null; the loader reads every other scalar as text. */
  private static final Pattern NULL_WORD = Pattern.compile("null|Null|NULL|~");

  private DefaultsWriter() {}

  /**
   * The annotated default file: for one {@code role} only its keys, for {@code null} every key with
   * the role that uses it named.
   */
  public static String annotatedYaml(Role role) {
    StringBuilder out = new StringBuilder();
    header(out, role);
    List<String> open = new ArrayList<>();
    for (Setting<?> setting : Settings.ALL) {
      if (role != null && !setting.appliesTo(role)) {
        continue;
      }
      String[] parts = setting.key().split("\\.");
      int common = 0;
      while (common < open.size()
          && common < parts.length - 1
          && open.get(common).equals(parts[common])) {
        common++;
      }
      while (open.size() > common) {
        open.removeLast();
      }
      while (open.size() < parts.length - 1) {
        String indent = "  ".repeat(open.size());
        open.add(parts[open.size()]);
        String section = String.join(".", open);
        if (open.size() == 1) {
          out.append('\n');
        }
        comment(out, indent, Settings.SECTIONS.get(section));
        out.append(indent).append(open.getLast()).append(":\n");
      }
      if (parts.length == 1) {
        out.append('\n');
      }
      key(out, "  ".repeat(parts.length - 1), parts[parts.length - 1], setting, role);
    }
    return out.toString();
  }

  private static void header(StringBuilder out, Role role) {
    String who = role == null ? "server and client" : role.label();
    comment(
        out,
        "",
        "Ringway configuration ("
            + who
            + ") with every key at its default, as printed by `ringway config defaults`.");
    comment(
        out,
        "",
        "Durations: 0, 100ms, 15s, 15m, 1h, 1d. Sizes: a byte count, or KiB, MiB, GiB (binary)."
            + " Relative paths start at this file's directory. ${NAME} and ${NAME:-default} are"
            + " replaced from the environment; $${ writes a literal ${.");
    comment(
        out,
        "",
        "Keys marked live change on reload (SIGHUP or JMX Server.reload()) or over JMX; the others"
            + " need a restart. Editors: `ringway config schema > ringway.schema.json` and put"
            + " `# yaml-language-server: $schema=ringway.schema.json` at the top of this file.");
  }

  private static <T> void key(
      StringBuilder out, String indent, String name, Setting<T> setting, Role role) {
    StringBuilder about = new StringBuilder(setting.description());
    if (role == null && setting.roles().size() == 1) {
      about.append(setting.appliesTo(Role.SERVER) ? " Server only." : " Client only.");
    }
    comment(out, indent, about.toString());
    comment(
        out,
        indent,
        (setting.isLive()
                ? "Live (JMX " + setting.jmxAttribute() + ")."
                : setting == Settings.ALERTS ? "Applied on reload." : "Needs a restart.")
            + " Value: "
            + setting.expected()
            + ".");
    out.append(indent).append(name).append(": ").append(yaml(setting)).append('\n');
    if (setting == Settings.JMX_USERS) {
      comment(out, indent, "For example:");
      comment(out, indent, "users:");
      comment(out, indent, "  - { name: alice, passwordHash: \"$2b$12$…\", role: operator }");
      comment(
          out,
          indent,
          "  - { name: grafana, password: \"${GRAFANA_JMX_PASSWORD}\", role: monitor }");
    } else if (setting == Settings.ALERTS) {
      comment(
          out,
          indent,
          "For example (every figure: `ringway config schema`, or the README's *History and"
              + " alerts on the server*):");
      comment(out, indent, "alerts:");
      comment(
          out,
          indent,
          "  - { name: tun-rx-eagain, figure: path.tun.rx.eagainPerSecond, above: 100, for: 10s }");
      comment(
          out,
          indent,
          "  - { name: udp-rx-slots, figure: path.udp.rx.slotExhaustedPerSecond, above: 0, for: 30s"
              + " }");
      comment(
          out, indent, "  - { name: heap, figure: jvm.heapUsedBytes, above: 400000000, for: 5m }");
    } else if (setting == Settings.JMX_TLS) {
      comment(out, indent, "For example: tls: { cert: jmx.crt, key: jmx.key }");
      comment(
          out,
          indent,
          "With client certificates: tls: { cert: jmx.crt, key: jmx.key, clientCa: ops-ca.crt }");
    }
  }

  private static <T> String yaml(Setting<T> setting) {
    T value = setting.defaultValue();
    String text = setting.format(value);
    boolean typed =
        value == null || setting.kind instanceof Kind.Whole || setting.kind instanceof Kind.Flag;
    if (typed || (PLAIN.matcher(text).matches() && !NULL_WORD.matcher(text).matches())) {
      return text;
    }
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static void comment(StringBuilder out, String indent, String text) {
    String prefix = indent + "# ";
    if (prefix.length() + text.length() <= WIDTH) {
      out.append(prefix).append(text).append('\n');
      return;
    }
    StringBuilder line = new StringBuilder(prefix);
    for (String word : text.split(" ")) {
      if (line.length() > prefix.length() && line.length() + 1 + word.length() > WIDTH) {
        out.append(line).append('\n');
        line.setLength(0);
        line.append(prefix);
      }
      if (line.length() > prefix.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    out.append(line).append('\n');
  }
}

package dev.ringway.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.config.Yaml.Source;
import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a setting's value: how it is written in YAML, what range it must lie in, how it is
 * printed back and how the JSON Schema describes it.
 */
sealed interface Kind<T> permits Kind.ScalarKind, Kind.JmxUsers, Kind.JmxTlsPair, Kind.AlertRules {

  JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** What a valid value looks like, e.g. "a whole number between 1 and 4096". */
  String expected();

  /** The value as YAML text, the inverse of parsing; most values print themselves so. */
  default String format(T value) {
    return value.toString();
  }

  /** The JSON Schema of a value, without description and default. */
  ObjectNode schema();

  /** A kind written as one YAML scalar. */
  sealed interface ScalarKind<T> extends Kind<T>
      permits Whole, Flag, Span, Size, Choice, FilePath, Address, Network, Ipv4, Name {

    /** The value of {@code text}; relative paths resolve against {@code source}'s directory. */
    T parse(String text, Source source) throws Rejected;
  }

  /** An integer in {@code [min, max]}, optionally a power of two, counting {@code unit}. */
  record Whole(int min, int max, boolean powerOfTwo, String unit) implements ScalarKind<Integer> {

    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");

    @Override
    public Integer parse(String text, Source source) throws Rejected {
      if (!INTEGER.matcher(text).matches()) {
        throw new Rejected(
            "value " + Rejected.show(text) + " is not a whole number — expected " + expected());
      }
      long value = text.length() > 12 ? Long.MAX_VALUE : Long.parseLong(text);
      if (value < min || value > max) {
        throw new Rejected(
            "value " + text + " is out of range — must be between " + min + " and " + max);
      }
      int v = (int) value;
      if (powerOfTwo && Integer.bitCount(v) != 1) {
        int up = Integer.highestOneBit(v) << 1;
        int suggestion = up <= max ? up : Integer.highestOneBit(v);
        throw new Rejected(
            "value "
                + text
                + " is not a power of two (io_uring rounds ring sizes up to one, here "
                + up
                + ")",
            Integer.toString(suggestion));
      }
      return v;
    }

    @Override
    public String expected() {
      return (powerOfTwo ? "a power of two" : "a whole number") + " between " + min + " and " + max;
    }

    @Override
    public ObjectNode schema() {
      ObjectNode schema = JSON.objectNode().put("type", "integer");
      if (powerOfTwo) {
        var values = schema.putArray("enum");
        for (int v = min; v <= max && v > 0; v <<= 1) {
          values.add(v);
        }
      } else {
        schema.put("minimum", min).put("maximum", max);
      }
      return schema;
    }
  }

  /** {@code true} or {@code false} (YAML 1.2 core schema spellings). */
  record Flag() implements ScalarKind<Boolean> {

    @Override
    public Boolean parse(String text, Source source) throws Rejected {
      switch (text) {
        case "true", "True", "TRUE" -> {
          return true;
        }
        case "false", "False", "FALSE" -> {
          return false;
        }
        default -> {
          String meant =
              switch (text.toLowerCase(Locale.ROOT)) {
                case "yes", "y", "on", "1", "enabled" -> "true";
                case "no", "n", "off", "0", "disabled" -> "false";
                default -> null;
              };
          throw new Rejected(
              "value " + Rejected.show(text) + " is not a boolean — write true or false", meant);
        }
      }
    }

    @Override
    public String expected() {
      return "true or false";
    }

    @Override
    public ObjectNode schema() {
      return JSON.objectNode().put("type", "boolean");
    }
  }

  /** A duration with a unit: {@code 100ms}, {@code 15s}, {@code 15m}, {@code 1h}, {@code 1d}. */
  record Span(Duration min, Duration max) implements ScalarKind<Duration> {

    static final String PATTERN = "^(0|[0-9]+(ms|s|m|h|d))$";
    private static final Pattern WHOLE = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
    private static final Pattern LOOSE =
        Pattern.compile("([0-9]*\\.?[0-9]+)\\s*([A-Za-z]*)", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> UNIT_ALIASES =
        Map.ofEntries(
            Map.entry("msec", "ms"),
            Map.entry("msecs", "ms"),
            Map.entry("millis", "ms"),
            Map.entry("milliseconds", "ms"),
            Map.entry("sec", "s"),
            Map.entry("secs", "s"),
            Map.entry("second", "s"),
            Map.entry("seconds", "s"),
            Map.entry("min", "m"),
            Map.entry("mins", "m"),
            Map.entry("minute", "m"),
            Map.entry("minutes", "m"),
            Map.entry("hr", "h"),
            Map.entry("hrs", "h"),
            Map.entry("hour", "h"),
            Map.entry("hours", "h"),
            Map.entry("day", "d"),
            Map.entry("days", "d"));

    @Override
    public Duration parse(String text, Source source) throws Rejected {
      Duration value = read(text);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new Rejected(
            "value "
                + text
                + " is out of range — must be between "
                + format(min)
                + " and "
                + format(max));
      }
      return value;
    }

    private static Duration read(String text) throws Rejected {
      if (text.equals("0")) {
        return Duration.ZERO;
      }
      Matcher whole = WHOLE.matcher(text);
      if (whole.matches()) {
        return whole.group(1).length() > 9
            ? Duration.ofSeconds(Long.MAX_VALUE)
            : of(Long.parseLong(whole.group(1)), whole.group(2));
      }
      Matcher loose = LOOSE.matcher(text);
      String rule = "value " + Rejected.show(text);
      if (!loose.matches()) {
        throw new Rejected(
            rule + " is not a duration — write a number and a unit: 100ms, 15s, 15m, 1h or 1d");
      }
      String number = loose.group(1);
      String unit = loose.group(2);
      if (unit.isEmpty()) {
        throw new Rejected(
            rule + " has no unit — durations are written like 100ms, 15s, 15m, 1h or 1d");
      }
      String lower = unit.toLowerCase(Locale.ROOT);
      String canonical = WHOLE.matcher("1" + lower).matches() ? lower : UNIT_ALIASES.get(lower);
      if (canonical == null) {
        throw new Rejected(
            rule + " has an unknown unit `" + unit + "` — durations take ms, s, m, h or d");
      }
      if (number.contains(".")) {
        BigDecimal millis =
            new BigDecimal(number).multiply(BigDecimal.valueOf(millisIn(canonical)));
        String suggestion =
            millis.stripTrailingZeros().scale() <= 0
                ? text(Duration.ofMillis(millis.longValueExact()))
                : null;
        throw new Rejected(rule + " is not a whole number of units", suggestion);
      }
      String meant = number + canonical;
      throw new Rejected(
          rule
              + (unit.equals(canonical)
                  ? " has a space before its unit"
                  : " has an unknown unit `" + unit + "` — durations take ms, s, m, h or d"),
          meant);
    }

    private static long millisIn(String unit) {
      return switch (unit) {
        case "ms" -> 1;
        case "s" -> 1_000;
        case "m" -> 60_000;
        case "h" -> 3_600_000;
        default -> 86_400_000;
      };
    }

    private static Duration of(long amount, String unit) {
      return Duration.ofMillis(Math.multiplyExact(amount, millisIn(unit)));
    }

    @Override
    public String expected() {
      return "a duration between " + format(min) + " and " + format(max);
    }

    /** The largest unit that represents the duration exactly; zero is {@code 0ms}. */
    @Override
    public String format(Duration value) {
      return text(value);
    }

    static String text(Duration value) {
      long millis = value.toMillis();
      for (String unit : List.of("d", "h", "m", "s")) {
        if (millis != 0 && millis % millisIn(unit) == 0) {
          return millis / millisIn(unit) + unit;
        }
      }
      return millis + "ms";
    }

    @Override
    public ObjectNode schema() {
      return JSON.objectNode().put("type", "string").put("pattern", PATTERN);
    }
  }

  /** A byte count, plain or with a binary unit: {@code 256KiB}, {@code 15MiB}, {@code 1GiB}. */
  record Size(int min, int max) implements ScalarKind<Integer> {

    static final String PATTERN = "^[0-9]+(B|KiB|MiB|GiB)?$";
    private static final Pattern EXACT = Pattern.compile("([0-9]+)(B|KiB|MiB|GiB)?");
    private static final Pattern LOOSE = Pattern.compile("([0-9]*\\.?[0-9]+)\\s*([A-Za-z]*)");
    private static final List<String> UNITS = List.of("GiB", "MiB", "KiB");

    @Override
    public Integer parse(String text, Source source) throws Rejected {
      long bytes = read(text);
      if (bytes < min || bytes > max) {
        throw new Rejected(
            "value "
                + text
                + " is out of range — must be between "
                + format(min)
                + " and "
                + format(max));
      }
      return (int) bytes;
    }

    private static long read(String text) throws Rejected {
      Matcher exact = EXACT.matcher(text);
      if (exact.matches()) {
        return exact.group(1).length() > 9
            ? Long.MAX_VALUE
            : Long.parseLong(exact.group(1)) * bytesIn(exact.group(2));
      }
      String rule = "value " + Rejected.show(text);
      Matcher loose = LOOSE.matcher(text);
      if (!loose.matches()) {
        throw new Rejected(
            rule
                + " is not a size — write bytes, or a number with KiB, MiB or GiB (256KiB, 15MiB)");
      }
      String number = loose.group(1);
      String unit = loose.group(2);
      String binary =
          switch (unit.toLowerCase(Locale.ROOT)) {
            case "", "b" -> "B";
            case "k", "kb", "kib" -> "KiB";
            case "m", "mb", "mib" -> "MiB";
            case "g", "gb", "gib" -> "GiB";
            default -> null;
          };
      if (binary == null) {
        throw new Rejected(
            rule + " has an unknown unit `" + unit + "` — sizes take B, KiB, MiB or GiB");
      }
      if (number.contains(".")) {
        BigDecimal exactBytes =
            new BigDecimal(number).multiply(BigDecimal.valueOf(bytesIn(binary)));
        String suggestion =
            exactBytes.stripTrailingZeros().scale() <= 0
                ? formatBytes(exactBytes.longValueExact())
                : null;
        throw new Rejected(rule + " is not a whole number of units", suggestion);
      }
      String meant = number + (binary.equals("B") ? "" : binary);
      if (unit.equalsIgnoreCase(binary) || unit.equalsIgnoreCase("b")) {
        throw new Rejected(rule + " is not written as sizes are (B, KiB, MiB, GiB)", meant);
      }
      throw new Rejected(
          rule
              + " has the ambiguous unit `"
              + unit
              + "` (1000 or 1024?) — sizes take B, KiB, MiB or GiB",
          meant);
    }

    private static long bytesIn(String unit) {
      return switch (unit) {
        case "KiB" -> 1L << 10;
        case "MiB" -> 1L << 20;
        case "GiB" -> 1L << 30;
        case null, default -> 1;
      };
    }

    @Override
    public String expected() {
      return "a size between " + format(min) + " and " + format(max);
    }

    @Override
    public String format(Integer value) {
      return formatBytes(value);
    }

    private static String formatBytes(long bytes) {
      for (String unit : UNITS) {
        if (bytes != 0 && bytes % bytesIn(unit) == 0) {
          return bytes / bytesIn(unit) + unit;
        }
      }
      return Long.toString(bytes);
    }

    @Override
    public ObjectNode schema() {
      ObjectNode schema = JSON.objectNode();
      var anyOf = schema.putArray("anyOf");
      anyOf.addObject().put("type", "integer").put("minimum", min).put("maximum", max);
      anyOf.addObject().put("type", "string").put("pattern", PATTERN);
      return schema;
    }
  }

  /** One of an enum's constants, written in lower case. */
  record Choice<E extends Enum<E>>(Class<E> type) implements ScalarKind<E> {

    @Override
    public E parse(String text, Source source) throws Rejected {
      for (E constant : type.getEnumConstants()) {
        if (constant.toString().equals(text)) {
          return constant;
        }
      }
      throw new Rejected(
          "value " + Rejected.show(text) + " is not one of " + String.join(", ", names()),
          Spelling.closest(text, names()));
    }

    List<String> names() {
      return Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
    }

    @Override
    public String expected() {
      return "one of " + String.join(", ", names());
    }

    @Override
    public ObjectNode schema() {
      ObjectNode schema = JSON.objectNode().put("type", "string");
      names().forEach(schema.putArray("enum")::add);
      return schema;
    }
  }

  /** A file system path; relative paths resolve against the directory of the file they are in. */
  record FilePath() implements ScalarKind<Path> {

    @Override
    public Path parse(String text, Source source) throws Rejected {
      if (text.isBlank()) {
        throw new Rejected("value " + Rejected.show(text) + " is not a path — it is empty");
      }
      if (text.startsWith("~")) {
        throw new Rejected(
            "value " + text + " starts with ~, which is not expanded here — write the full path");
      }
      try {
        Path path = Path.of(text);
        return path.isAbsolute() ? path.normalize() : source.baseDir().resolve(path).normalize();
      } catch (InvalidPathException e) {
        throw new Rejected(
            "value " + Rejected.show(text) + " is not a valid path: " + e.getReason());
      }
    }

    @Override
    public String expected() {
      return "a path (relative paths start at the configuration file's directory)";
    }

    @Override
    public ObjectNode schema() {
      return JSON.objectNode().put("type", "string").put("minLength", 1);
    }
  }

  /** {@code host:port}; an IPv6 literal goes in brackets. Host names are not resolved. */
  record Address(int examplePort) implements ScalarKind<Endpoint> {

    static final String PATTERN = "^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}$";
    private static final Pattern HOST_NAME =
        Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    @Override
    public Endpoint parse(String text, Source source) throws Rejected {
      String rule = "value " + Rejected.show(text);
      String host;
      String port;
      if (text.startsWith("[")) {
        int close = text.indexOf(']');
        if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
          throw new Rejected(rule + " is not [IPv6]:port");
        }
        host = text.substring(1, close);
        port = text.substring(close + 2);
        try {
          Inet6Address.ofLiteral(host);
        } catch (IllegalArgumentException e) {
          throw new Rejected(
              rule + " has `" + host + "` in brackets, which is not an IPv6 address");
        }
      } else {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
          throw new Rejected(
              rule + " has no port — write host:port",
              isHost(text) ? text + ":" + examplePort : null);
        }
        host = text.substring(0, colon);
        port = text.substring(colon + 1);
        if (host.indexOf(':') >= 0) {
          throw new Rejected(
              rule + " is an IPv6 address without brackets", "[" + host + "]:" + port);
        }
        checkHost(host, rule);
      }
      return new Endpoint(host, checkPort(port, rule));
    }

    private static boolean isHost(String text) {
      try {
        checkHost(text, "");
        return true;
      } catch (Rejected notAHost) {
        return false;
      }
    }

    private static void checkHost(String host, String rule) throws Rejected {
      if (host.isEmpty()) {
        throw new Rejected(rule + " has no host — write 0.0.0.0 for every IPv4 address");
      }
      if (host.matches("[0-9.]+")) {
        Ipv4.literal(host, rule + " has host `" + host + "`, which is not an IPv4 address");
      } else if (!HOST_NAME.matcher(host).matches()) {
        throw new Rejected(
            rule + " has host `" + host + "`, which is not a valid host name or IP address");
      }
    }

    private static int checkPort(String port, String rule) throws Rejected {
      if (!port.matches("[0-9]{1,6}")) {
        throw new Rejected(rule + " has port `" + port + "`, which is not a number");
      }
      int value = Integer.parseInt(port);
      if (value < 1 || value > 65535) {
        throw new Rejected(
            rule + " has port " + value + ", which is out of range — must be between 1 and 65535");
      }
      return value;
    }

    @Override
    public String expected() {
      return "host:port, e.g. 192.0.2.1:" + examplePort + " or [::1]:" + examplePort;
    }

    @Override
    public ObjectNode schema() {
      return JSON.objectNode().put("type", "string").put("pattern", PATTERN);
    }
  }

  /** An IPv4 network in CIDR notation, host bits zero, prefix length in {@code [min, max]}. */
  record Network(int minPrefix, int maxPrefix) implements ScalarKind<Cidr> {

    static final String PATTERN = "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$";

    @Override
    public Cidr parse(String text, Source source) throws Rejected {
      String rule = "value " + Rejected.show(text);
      int slash = text.indexOf('/');
      if (slash < 0) {
        throw new Rejected(
            rule + " has no prefix length — write address/prefix, e.g. 10.125.0.0/16");
      }
      String address = text.substring(0, slash);
      String prefix = text.substring(slash + 1);
      Inet4Address ip =
          Ipv4.literal(address, rule + " has `" + address + "`, which is not an IPv4 address");
      if (!prefix.matches("[0-9]{1,2}")) {
        throw new Rejected(rule + " has prefix length `" + prefix + "`, which is not a number");
      }
      int length = Integer.parseInt(prefix);
      if (length < minPrefix || length > maxPrefix) {
        throw new Rejected(
            rule
                + " has prefix length /"
                + length
                + ", which is out of range — must be between /"
                + minPrefix
                + " and /"
                + maxPrefix);
      }
      int bits = Cidr.toInt(ip);
      int network = bits & Cidr.mask(length);
      if (network != bits) {
        Cidr meant = new Cidr(Ipv4.of(network), length);
        throw new Rejected(rule + " has host bits set", meant.toString());
      }
      return new Cidr(ip, length);
    }

    @Override
    public String expected() {
      return "an IPv4 network, e.g. 10.125.0.0/16 (prefix /"
          + minPrefix
          + " to /"
          + maxPrefix
          + ")";
    }

    @Override
    public ObjectNode schema() {
      return JSON.objectNode().put("type", "string").put("pattern", PATTERN);
    }
  }

  /** A dotted-quad IPv4 address. */
  record Ipv4() implements ScalarKind<Inet4Address> {

    static final String PATTERN = "^[0-9]{1,3}(\\.[0-9]{1,3}){3}$";
    private static final Pattern DOTTED_QUAD =
        Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");

    @Override
    public Inet4Address parse(String text, Source source) throws Rejected {
      return literal(text, "value " + Rejected.show(text) + " is not an IPv4 address");
    }

    /** Only the four-part dotted form: the JDK also takes {@code 10.1}, which is surely a typo. */
    static Inet4Address literal(String text, String rule) throws Rejected {
      if (!DOTTED_QUAD.matcher(text).matches()) {
        throw new Rejected(rule);
      }
      return Inet4Address.ofLiteral(text);
    }

    static Inet4Address of(int bits) {
      return Inet4Address.ofLiteral(
          (bits >>> 24)
              + "."
              + (bits >>> 16 & 0xff)
              + "."
              + (bits >>> 8 & 0xff)
              + "."
              + (bits & 0xff));
    }

    @Override
    public String expected() {
      return "an IPv4 address, e.g. 10.125.0.1";
    }

    @Override
    public String format(Inet4Address value) {
      return value.getHostAddress();
    }

    @Override
    public ObjectNode schema() {
      return JSON.objectNode().put("type", "string").put("pattern", PATTERN);
    }
  }

  /** A name with a maximum length and an allowed alphabet. */
  record Name(int maxLength, Pattern allowed, String alphabet) implements ScalarKind<String> {

    @Override
    public String parse(String text, Source source) throws Rejected {
      if (text.isEmpty()) {
        throw new Rejected("value \"\" is empty — expected " + expected());
      }
      if (text.length() > maxLength) {
        throw new Rejected(
            "value "
                + text
                + " is too long ("
                + text.length()
                + " characters) — at most "
                + maxLength);
      }
      if (!allowed.matcher(text).matches()) {
        throw new Rejected("value " + Rejected.show(text) + " may only hold " + alphabet);
      }
      return text;
    }

    @Override
    public String expected() {
      return "a name of at most " + maxLength + " characters: " + alphabet;
    }

    @Override
    public ObjectNode schema() {
      return JSON.objectNode()
          .put("type", "string")
          .put("minLength", 1)
          .put("maxLength", maxLength)
          .put("pattern", allowed.pattern());
    }
  }

  /** {@code jmx.users}: a list of {@code {name, password | passwordHash, role}}. */
  record JmxUsers() implements Kind<List<Config.JmxUser>> {

    /**
     * bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}) or sha-crypt ({@code $5$}, {@code $6$}).
     */
    static final Pattern HASH =
        Pattern.compile(
            "\\$2[aby]\\$[0-9]{2}\\$[./A-Za-z0-9]{53}"
                + "|\\$[56]\\$(rounds=[0-9]{4,9}\\$)?[^$:\\s]{1,16}\\$[./A-Za-z0-9]{43,86}");

    static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    @Override
    public String expected() {
      return "a list of {name, password or passwordHash, role: monitor|operator}";
    }

    @Override
    public ObjectNode schema() {
      ObjectNode user = JSON.objectNode().put("type", "object").put("additionalProperties", false);
      user.putArray("required").add("name").add("role");
      ObjectNode properties = user.putObject("properties");
      properties
          .putObject("name")
          .put("type", "string")
          .put("pattern", "^" + USER_NAME.pattern() + "$")
          .put("description", "Login name.");
      properties
          .putObject("password")
          .put("type", "string")
          .put("minLength", 1)
          .put("description", "Plain password; prefer passwordHash.");
      properties
          .putObject("passwordHash")
          .put("type", "string")
          .put("pattern", "^\\$(2[aby]|5|6)\\$")
          .put("description", "bcrypt ($2b$…) or sha-crypt ($5$…, $6$…) hash of the password.");
      ObjectNode role = properties.putObject("role").put("type", "string");
      role.putArray("enum").add("monitor").add("operator");
      role.put("description", "monitor: read-only; operator: may also retune and call operations.");
      var oneOf = user.putArray("oneOf");
      oneOf.addObject().putArray("required").add("password");
      oneOf.addObject().putArray("required").add("passwordHash");
      ObjectNode schema = JSON.objectNode().put("type", "array");
      schema.set("items", user);
      return schema;
    }
  }

  /** {@code jmx.tls}: the connector's {@code {cert, key, clientCa}}. */
  record JmxTlsPair() implements Kind<Config.JmxTls> {

    @Override
    public String expected() {
      return "{cert: FILE, key: FILE, clientCa: FILE (optional)}";
    }

    @Override
    public String format(Config.JmxTls value) {
      return "{cert: "
          + value.cert()
          + ", key: "
          + value.key()
          + (value.clientCa() == null ? "" : ", clientCa: " + value.clientCa())
          + "}";
    }

    @Override
    public ObjectNode schema() {
      ObjectNode schema =
          JSON.objectNode().put("type", "object").put("additionalProperties", false);
      schema.putArray("required").add("cert").add("key");
      ObjectNode properties = schema.putObject("properties");
      properties
          .putObject("cert")
          .put("type", "string")
          .put("minLength", 1)
          .put("description", "PEM certificate (chain) of the JMX connector.");
      properties
          .putObject("key")
          .put("type", "string")
          .put("minLength", 1)
          .put("description", "PEM private key of the JMX connector.");
      properties
          .putObject("clientCa")
          .put("type", "string")
          .put("minLength", 1)
          .put(
              "description",
              "PEM CA certificate(s): clients must present a certificate that chains to one."
                  + " Unset: no client certificate is asked for.");
      return schema;
    }
  }

  /** {@code alerts}: a list of {@code {name, figure, above | below, for}}. */
  record AlertRules() implements Kind<List<Config.AlertRule>> {

    static final Pattern RULE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Override
    public String expected() {
      return "a list of {name, figure, above or below: NUMBER, for: DURATION}";
    }

    @Override
    public String format(List<Config.AlertRule> value) {
      return value.stream()
          .map(Config.AlertRule::toString)
          .collect(java.util.stream.Collectors.joining("; ", "[", "]"));
    }

    @Override
    public ObjectNode schema() {
      ObjectNode rule = JSON.objectNode().put("type", "object").put("additionalProperties", false);
      rule.putArray("required").add("name").add("figure");
      ObjectNode properties = rule.putObject("properties");
      properties
          .putObject("name")
          .put("type", "string")
          .put("pattern", "^" + RULE_NAME.pattern() + "$")
          .put("description", "The alert's name, unique among the rules.");
      ObjectNode figure = properties.putObject("figure").put("type", "string");
      Config.AlertRule.FIGURES.forEach(figure.putArray("enum")::add);
      figure.put("description", "What the rule watches.");
      properties
          .putObject("above")
          .put("type", "number")
          .put("description", "Raise while the figure is above this.");
      properties
          .putObject("below")
          .put("type", "number")
          .put("description", "Raise while the figure is below this.");
      properties
          .putObject("for")
          .put("type", "string")
          .put("pattern", Span.PATTERN)
          .put("description", "How long the condition must hold before the alert is raised.");
      var oneOf = rule.putArray("oneOf");
      oneOf.addObject().putArray("required").add("above");
      oneOf.addObject().putArray("required").add("below");
      ObjectNode schema = JSON.objectNode().put("type", "array");
      schema.set("items", rule);
      return schema;
    }
  }
}

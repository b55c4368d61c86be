package dev.ringway.config;

import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in a scalar with the environment's value;
 * {@code $${} writes a literal {@code ${}. As in the shell, {@code :-} also applies when the
 * variable is set but empty.
 */
final class EnvSubstitution {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private EnvSubstitution() {}

  static String apply(String text, Function<String, String> environment) throws Rejected {
    if (!text.contains("${")) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (text.startsWith("${", i)) {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          throw new Rejected(
              "value " + Rejected.show(text) + " has an unterminated ${ — close it with }");
        }
        out.append(lookup(text.substring(i + 2, end), environment));
        i = end + 1;
      } else {
        out.append(text.charAt(i++));
      }
    }
    return out.toString();
  }

  private static String lookup(String reference, Function<String, String> environment)
      throws Rejected {
    int split = reference.indexOf(":-");
    String name = split < 0 ? reference : reference.substring(0, split);
    if (!NAME.matcher(name).matches()) {
      throw new Rejected(
          "${"
              + reference
              + "} does not name an environment variable — names are letters, digits and _,"
              + " not starting with a digit");
    }
    String value = environment.apply(name);
    if (split >= 0 && (value == null || value.isEmpty())) {
      return reference.substring(split + 2);
    }
    if (value == null) {
      throw new Rejected(
          "environment variable "
              + name
              + " is not set and ${"
              + name
              + "} gives no default — set it, or write ${"
              + name
              + ":-value}");
    }
    return value;
  }
}

package dev.ringway.config;

/** Why a value was refused: the rule as one sentence and, when there is one, a replacement. */
final class Rejected extends Exception {

  final String rule;
  final String suggestion;

  Rejected(String rule) {
    this(rule, null);
  }

  Rejected(String rule, String suggestion) {
    super(rule, null, false, false);
    this.rule = rule;
    this.suggestion = suggestion;
  }

  /**
   * A value as quoted in messages: bare unless it is empty, has spaces at its ends or holds line
   * breaks or tabs (shown escaped, so that every error stays on one line).
   */
  static String show(String text) {
    String escaped = text.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
    return text.isEmpty() || !text.strip().equals(text) || !escaped.equals(text)
        ? '"' + escaped + '"'
        : text;
  }
}

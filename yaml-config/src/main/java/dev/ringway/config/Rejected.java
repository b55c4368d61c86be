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

  /** A value as quoted in messages: bare unless it is empty or has spaces at its ends. */
  static String show(String text) {
    return text.isEmpty() || !text.strip().equals(text) ? '"' + text + '"' : text;
  }
}

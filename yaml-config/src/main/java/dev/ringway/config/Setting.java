package dev.ringway.config;

import dev.ringway.config.Kind.ScalarKind;
import dev.ringway.config.Yaml.Source;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * One configuration key: its type and limits, default, description, which roles use it, and whether
 * it changes live (and under which JMX attribute). All settings are in {@link Settings}.
 */
public final class Setting<T> {

  private final String key;
  final Kind<T> kind;
  private final T defaultValue;
  private final boolean nullable;
  private final Set<Role> roles;
  private final String jmxAttribute;
  private final String description;
  private final Function<Config, T> read;

  Setting(
      String key,
      Kind<T> kind,
      T defaultValue,
      boolean nullable,
      Set<Role> roles,
      String jmxAttribute,
      String description,
      Function<Config, T> read) {
    this.key = key;
    this.kind = kind;
    this.defaultValue = defaultValue;
    this.nullable = nullable;
    this.roles = Collections.unmodifiableSet(roles);
    this.jmxAttribute = jmxAttribute;
    this.description = description;
    this.read = read;
  }

  /** The dotted YAML key, e.g. {@code io.tun.rxSlots}. */
  public String key() {
    return key;
  }

  /** What the key is for, one or two sentences. */
  public String description() {
    return description;
  }

  /**
   * What a valid value looks like, including its range, e.g. "a whole number between 1 and 4096".
   */
  public String expected() {
    return kind.expected();
  }

  /** The default as YAML text ({@code null} when the key is unset by default). */
  public String defaultText() {
    return format(defaultValue);
  }

  /** The roles that use this key; the other role accepts and ignores it. */
  public Set<Role> roles() {
    return roles;
  }

  /** True when the key may be left unset ({@code null}). */
  public boolean isNullable() {
    return nullable;
  }

  /** True when a running server applies a change without restarting. */
  public boolean isLive() {
    return jmxAttribute != null;
  }

  /** The attribute of {@code dev.ringway:type=Tunables} for a live key, otherwise {@code null}. */
  public String jmxAttribute() {
    return jmxAttribute;
  }

  /** This key's value in {@code config}. */
  public T valueIn(Config config) {
    return read.apply(config);
  }

  /** This key's value in {@code config} as YAML text, the form {@link Tunables} accepts. */
  public String textIn(Config config) {
    return format(read.apply(config));
  }

  /**
   * This key's value in {@code config} as the JMX attribute carries it: {@code Integer} for counts
   * and byte sizes, {@code Long} milliseconds for durations, {@code Boolean}, or the lower-case
   * {@code String} of a choice.
   */
  public Object jmxValueIn(Config config) {
    T value = read.apply(config);
    return switch (value) {
      case Duration d -> d.toMillis();
      case Integer i -> i;
      case Boolean b -> b;
      case null -> null;
      default -> value.toString();
    };
  }

  /**
   * The unit of {@link #jmxValueIn}: {@code slots}, {@code entries}, {@code connections}, {@code
   * bytes}, {@code milliseconds}, or empty for flags and choices.
   */
  public String jmxUnit() {
    return switch (kind) {
      case Kind.Whole whole -> whole.unit();
      case Kind.Size size -> "bytes";
      case Kind.Span span -> "milliseconds";
      default -> "";
    };
  }

  /**
   * A JMX attribute value (see {@link #jmxValueIn}) as the YAML text {@link Tunables} accepts; a
   * choice is lower-cased, since jconsole users type {@code DEBUG} as readily as {@code debug}.
   */
  public String textOfJmxValue(Object value) {
    return switch (kind) {
      case Kind.Span span when value instanceof Number millis -> millis.longValue() + "ms";
      case Kind.Choice<?> choice -> String.valueOf(value).toLowerCase(Locale.ROOT);
      default -> String.valueOf(value);
    };
  }

  T defaultValue() {
    return defaultValue;
  }

  boolean appliesTo(Role role) {
    return roles.contains(role);
  }

  String format(T value) {
    return value == null ? "null" : kind.format(value);
  }

  T parse(String text, Source source) throws Rejected {
    if (kind instanceof ScalarKind<T> scalar) {
      return scalar.parse(text, source);
    }
    throw new Rejected("expected " + kind.expected() + ", found the single value " + text);
  }

  @Override
  public String toString() {
    return key;
  }
}

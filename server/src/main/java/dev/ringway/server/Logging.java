package dev.ringway.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import dev.ringway.config.Config;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/** Applies {@code log.level} and {@code log.format} to logback; level changes also apply live. */
public final class Logging {
  private Logging() {}

  /** Sets the root level and, for {@code json}, switches the console appender to JSON lines. */
  public static void apply(Config.Log log) {
    setLevel(log.level());
    if (log.format() == Config.LogFormat.JSON) {
      useJson();
    }
  }

  /** Sets the root logger's level. */
  public static void setLevel(Config.LogLevel level) {
    root().setLevel(Level.toLevel(level.toString(), Level.INFO));
  }

  private static void useJson() {
    Logger root = root();
    LoggerContext context = root.getLoggerContext();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
        console.stop();
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.start();
        console.setEncoder(encoder);
        console.start();
      }
    }
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}

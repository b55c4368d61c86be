package dev.ringway.client;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import dev.ringway.config.Config;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/** Applies {@code log.level} and {@code log.format} to logback's root logger. */
final class Logging {
  private Logging() {}

  static void apply(Config.Log log) {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(log.level().toString(), Level.INFO));
    if (log.format() == Config.LogFormat.JSON) {
      for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
        if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
          console.stop();
          JsonEncoder encoder = new JsonEncoder();
          encoder.setContext(root.getLoggerContext());
          encoder.start();
          console.setEncoder(encoder);
          console.start();
        }
      }
    }
  }
}

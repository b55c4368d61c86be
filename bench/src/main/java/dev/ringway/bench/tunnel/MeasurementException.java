package dev.ringway.bench.tunnel;

/** A tunnel could not be set up or measured; the message becomes the row's reason. */
final class MeasurementException extends RuntimeException {
  MeasurementException(String message) {
    super(message);
  }

  MeasurementException(String message, Throwable cause) {
    super(message, cause);
  }
}

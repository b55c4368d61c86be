package dev.ringway.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The chart's axis and legend numbers. */
class TimeSeriesChartTest {
  @Test
  void theAxisTopIsOneTwoOrFiveTimesAPowerOfTenAboveTheLargestValue() {
    assertThat(TimeSeriesChart.niceCeiling(0)).isEqualTo(1);
    assertThat(TimeSeriesChart.niceCeiling(3.2)).isEqualTo(5);
    assertThat(TimeSeriesChart.niceCeiling(512)).isEqualTo(1000);
    assertThat(TimeSeriesChart.niceCeiling(0.0004))
        .isCloseTo(0.0005, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void smallFiguresKeepTheirSignificantDigitsAndLargeOnesShrink() {
    assertThat(TimeSeriesChart.format(0.000123)).isEqualTo("0.000123");
    assertThat(TimeSeriesChart.format(2.5)).isEqualTo("2.50");
    assertThat(TimeSeriesChart.format(64)).isEqualTo("64");
    assertThat(TimeSeriesChart.format(25_000)).isEqualTo("25.0k");
    assertThat(TimeSeriesChart.format(15_728_640)).isEqualTo("15.7M");
  }
}

package dev.ringway.console.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.console.link.Rates;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard's memory: fixed size, one row per sample, CSV out. */
class RecordingTest {
  private static Rates at(long millis, double megabits, int slots) {
    return new Rates(
        millis,
        12.5,
        40,
        Double.NaN,
        2.5,
        1,
        List.of(new Rates.PathRates("tun.rx", megabits, 100, 3, 7, slots)));
  }

  @Test
  void eachSampleIsOneRowWithEveryFigureInItsColumn() {
    Recording recording = new Recording(8);

    recording.add(at(1000, 9.5, 64));

    assertThat(recording.size()).isEqualTo(1);
    assertThat(recording.time(0)).isEqualTo(1000);
    assertThat(recording.value("tun.rx Mbit/s", 0)).isEqualTo(9.5);
    assertThat(recording.value("tun.rx slots", 0)).isEqualTo(64);
    assertThat(recording.value(Recording.PROCESS_CPU, 0)).isEqualTo(12.5);
    assertThat(recording.value(Recording.SQPOLL_CPU, 0)).isNaN();
  }

  @Test
  void aGapIsARowWhereEveryFigureIsUnknown() {
    Recording recording = new Recording(8);
    recording.add(at(1000, 9.5, 64));

    recording.addGap(2000);
    recording.add(at(3000, 4.5, 64));

    assertThat(recording.size()).isEqualTo(3);
    assertThat(recording.time(1)).isEqualTo(2000);
    assertThat(recording.value("tun.rx Mbit/s", 1)).isNaN();
    assertThat(recording.value(Recording.CONNECTIONS, 1)).isNaN();
    assertThat(recording.value("tun.rx Mbit/s", 2)).isEqualTo(4.5);
  }

  @Test
  void anUnknownConnectionCountIsAGapNotMinusOne() {
    Recording recording = new Recording(8);

    recording.add(new Rates(1000, Double.NaN, Double.NaN, Double.NaN, 1, -1, List.of()));

    assertThat(recording.value(Recording.CONNECTIONS, 0)).isNaN();
  }

  @Test
  void theOldestRowsGiveWayAtCapacity() {
    Recording recording = new Recording(3);

    for (int i = 1; i <= 5; i++) {
      recording.add(at(i * 1000L, i, 64));
    }

    assertThat(recording.size()).isEqualTo(3);
    assertThat(recording.time(0)).isEqualTo(3000);
    assertThat(recording.value("tun.rx Mbit/s", 2)).isEqualTo(5);
  }

  @Test
  void aColumnFirstSeenLaterIsUnknownInEarlierRows() {
    Recording recording = new Recording(4);
    recording.add(new Rates(1000, 1, 1, 1, 1, 0, List.of()));

    recording.add(at(2000, 4, 64));

    assertThat(recording.value("tun.rx Mbit/s", 0)).isNaN();
    assertThat(recording.value("tun.rx Mbit/s", 1)).isEqualTo(4);
  }

  @Test
  void csvHasAHeaderAndOneLinePerRowWithGapsLeftEmpty() throws IOException {
    Recording recording = new Recording(4);
    recording.add(at(1_700_000_000_000L, 9.5, 64));
    StringWriter out = new StringWriter();

    recording.writeCsv(out);

    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .isEqualTo(
            "time,epochMillis,process CPU %,loop thread CPU %,SQPOLL thread CPU %,CQEs per enter,"
                + "connections,tun.rx Mbit/s,tun.rx packets/s,tun.rx EAGAIN/s,tun.rx in flight,"
                + "tun.rx slots");
    assertThat(lines.get(1))
        .isEqualTo("2023-11-14T22:13:20Z,1700000000000,12.5,40.0,,2.5,1.0,9.5,100.0,3.0,7.0,64.0");
  }
}

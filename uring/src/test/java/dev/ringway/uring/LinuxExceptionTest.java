package dev.ringway.uring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.testkit.KernelTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LinuxExceptionTest {
  @Test
  void closingABadDescriptorNamesEbadfAndTheOperation() {
    assertThatThrownBy(() -> LinuxFiles.close(-1))
        .isInstanceOfSatisfying(
            LinuxException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(9);
              assertThat(e.errnoName()).isEqualTo("EBADF");
              assertThat(e.description()).isEqualTo("Bad file descriptor");
              assertThat(e.operation()).isEqualTo("close -1");
              assertThat(e).hasMessage("close -1: EBADF (Bad file descriptor)");
            });
  }

  @Test
  void openingAMissingFileNamesEnoent() {
    assertThatThrownBy(() -> LinuxFiles.open(Path.of("/nonexistent/ringway"), LinuxFiles.O_RDONLY))
        .isInstanceOf(LinuxException.class)
        .hasMessage("open /nonexistent/ringway: ENOENT (No such file or directory)");
  }

  @Test
  @KernelTest
  void ringSetupWithZeroEntriesIsEinvalFromIoUringSetup() {
    assertThatThrownBy(() -> Syscalls.setup(0, java.lang.foreign.Arena.ofAuto().allocate(120)))
        .isInstanceOfSatisfying(
            LinuxException.class,
            e -> {
              assertThat(e.errnoName()).isEqualTo("EINVAL");
              assertThat(e.operation()).isEqualTo("io_uring_setup");
            });
  }

  @Test
  void completionResultsAreNamedFromTheirNegativeErrno() {
    assertThat(Errno.name(-125)).isEqualTo("ECANCELED");
    assertThat(Errno.name(11)).isEqualTo("EAGAIN");
    assertThat(Errno.name(-62)).isEqualTo("ETIME");
    assertThat(Errno.name(105)).isEqualTo("ENOBUFS");
    assertThat(Errno.name(4095)).isEqualTo("errno 4095");
  }
}

package io.minispod;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

final class DaemonThreadsTest {

  @Test
  void named_makesNamedDaemonThreadsThatRunTheirTask() throws Exception {
    AtomicBoolean ran = new AtomicBoolean();

    Thread thread = DaemonThreads.named("minispod-test").newThread(() -> ran.set(true));
    thread.start();
    thread.join();

    assertThat(thread.isDaemon()).isTrue();
    assertThat(thread.getName()).isEqualTo("minispod-test");
    assertThat(ran).isTrue();
  }
}

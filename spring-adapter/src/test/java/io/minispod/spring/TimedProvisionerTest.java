package io.minispod.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minispod.provisioner.Provisioner;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

final class TimedProvisionerTest {

  @Test
  void canGrowStorage_ofAPlatformThatCannot_isFalseThroughTheTimer() {
    Provisioner fixedStorage =
        (Provisioner)
            Proxy.newProxyInstance(
                Provisioner.class.getClassLoader(),
                new Class<?>[] {Provisioner.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("canGrowStorage")) {
                    return false;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });

    assertThat(new TimedProvisioner(fixedStorage, new SimpleMeterRegistry()).canGrowStorage())
        .isFalse();
  }
}

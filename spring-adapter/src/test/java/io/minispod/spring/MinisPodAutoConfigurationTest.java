package io.minispod.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.catalog.Catalog;
import io.minispod.spring.web.MinisPodWebAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

final class MinisPodAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  MinisPodAutoConfiguration.class, MinisPodWebAutoConfiguration.class));

  @Test
  void context_withoutDataSource_backsOff() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(Catalog.class);
          assertThat(context).doesNotHaveBean(MinisPodProperties.class);
        });
  }

  @Test
  void jooq_onClassPath_isTheProjectsJava17Line() {
    assertThat(org.jooq.Constants.VERSION).startsWith("3.19.");
  }
}

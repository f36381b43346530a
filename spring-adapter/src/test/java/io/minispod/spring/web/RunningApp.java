package io.minispod.spring.web;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The test application running on a free port with the seed catalog and the mock payment gateway
 * (unless a test's properties say otherwise), and an HTTP client for it.
 *
 * @param context the running application
 * @param http a client for its port
 */
record RunningApp(ConfigurableApplicationContext context, Http http) implements AutoCloseable {

  /** Starts the test application with these properties on top of the common ones. */
  static RunningApp start(Map<String, String> properties) {
    return start(properties, context -> {});
  }

  /**
   * Starts the test application on a test's clock (the {@link Clock} bean the auto-configuration
   * takes instead of the system's) with the background work off, so that the test moves time and
   * runs the rounds it needs itself.
   */
  static RunningApp startAt(Clock clock, Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.put("minispod.background", "false");
    return start(all, context -> context.getBeanFactory().registerSingleton("testClock", clock));
  }

  private static RunningApp start(
      Map<String, String> properties,
      ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
    Map<String, Object> all = new HashMap<>();
    all.put("server.port", "0");
    all.put("minispod.payment.gateway", "mock");
    all.put("minispod.seed-catalog", "true");
    all.put("spring.main.banner-mode", "off");
    all.putAll(properties);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(TestApplication.class)
            .properties(all)
            .initializers(initializer)
            .run();
    int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    return new RunningApp(context, new Http(port));
  }

  /** One of the application's beans. */
  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}

package io.minispod.spring.web;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
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
    Map<String, Object> all = new HashMap<>();
    all.put("server.port", "0");
    all.put("minispod.payment.gateway", "mock");
    all.put("minispod.seed-catalog", "true");
    all.put("spring.main.banner-mode", "off");
    all.putAll(properties);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(TestApplication.class).properties(all).run();
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

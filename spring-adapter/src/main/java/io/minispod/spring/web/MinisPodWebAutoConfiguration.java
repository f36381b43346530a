package io.minispod.spring.web;

import io.minispod.spring.MinisPodAutoConfiguration;
import io.minispod.spring.MinisPodProperties;
import io.minispod.subscription.SubscriptionService;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Serves the REST contract of API.md in a servlet web application that has the MinisPod services:
 * the catalog, admin and user controllers, their error mapping, and a request body size limit.
 * Access rules are the host's, usually through {@link MinisPodSecurity}; the controllers also check
 * the caller themselves.
 */
@AutoConfiguration(after = MinisPodAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(SubscriptionService.class)
@Import({
  CatalogController.class,
  AdminController.class,
  UserController.class,
  ApiExceptionHandler.class,
  ApiFallbackHandler.class
})
public class MinisPodWebAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public MinisPodWebAutoConfiguration() {}

  /**
   * The body size limit of {@code minispod.web.max-body-bytes}, before security and MVC.
   *
   * @param properties the limit
   * @return the filter registration
   */
  @Bean
  public FilterRegistrationBean<?> minisPodBodySizeFilter(MinisPodProperties properties) {
    FilterRegistrationBean<BodySizeFilter> registration =
        new FilterRegistrationBean<>(new BodySizeFilter(properties.getWeb().getMaxBodyBytes()));
    registration.addUrlPatterns("/api/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }
}

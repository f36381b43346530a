package io.minispod.spring.web;

import io.minispod.spring.MinisPodAutoConfiguration;
import io.minispod.spring.MinisPodProperties;
import io.minispod.subscription.SubscriptionService;
import jakarta.validation.Validator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Serves the REST contract of API.md in a servlet web application that has the MinisPod services:
 * the catalog, admin and user controllers, their error mapping, and a request body size limit.
 *
 * <p>The web part of the adapter: it switches on only when Spring MVC and Bean Validation are on
 * the class path (both optional dependencies of the adapter; a host adds {@code
 * spring-boot-starter-webmvc} and {@code spring-boot-starter-validation}). Its security part is
 * switched on by Spring Security's presence in turn: the controllers then take the caller from
 * Spring Security's {@code Authentication}, and without it from the servlet request's principal.
 * Access rules are the host's, usually through {@link MinisPodSecurity}; the controllers also check
 * the caller themselves.
 */
@AutoConfiguration(after = MinisPodAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, Validator.class})
@ConditionalOnBean(SubscriptionService.class)
@Import({
  CatalogController.class,
  AdminController.class,
  UserController.class,
  ApiExceptionHandler.class,
  ApiFallbackHandler.class
})
public class MinisPodWebAutoConfiguration {

  private static final String SPRING_SECURITY =
      "org.springframework.security.core.context.SecurityContextHolder";

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

  /** The caller from Spring Security's {@code Authentication}, when Spring Security is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = SPRING_SECURITY)
  static class SpringSecurityIdentity {

    @Bean
    Caller minisPodCaller() {
      return new SpringSecurityCaller();
    }
  }

  /** The caller from the servlet request's principal, when Spring Security is absent. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass(SPRING_SECURITY)
  static class ServletIdentity {

    @Bean
    Caller minisPodCaller() {
      return new ServletCaller();
    }
  }
}

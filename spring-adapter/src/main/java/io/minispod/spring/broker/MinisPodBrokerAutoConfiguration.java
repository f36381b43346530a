package io.minispod.spring.broker;

import io.minispod.broker.ServiceBroker;
import io.minispod.broker.ServiceBrokerBuilder;
import io.minispod.catalog.Catalog;
import io.minispod.k8s.KubernetesBindingCredentials;
import io.minispod.k8s.KubernetesProvisioner;
import io.minispod.provisioner.BindingCredentials;
import io.minispod.provisioner.InMemoryBindingCredentials;
import io.minispod.spring.MinisPodAutoConfiguration;
import io.minispod.subscription.Subscriptions;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Serves the Open Service Broker API under {@code /v2/**} when {@code minispod.broker.enabled=true}
 * in a servlet web application with the MinisPod services and {@code minispod-broker-core} on the
 * class path.
 *
 * <p>The platform authenticates with HTTP basic and the credentials of {@code
 * minispod.broker.username} and {@code minispod.broker.password}; switched on without them,
 * start-up fails naming the missing property. A servlet filter on {@code /v2/*}, ahead of Spring
 * Security's, checks the credentials and {@code X-Broker-API-Version}. When Spring Security is
 * present, a security filter chain of its own ({@link #BROKER_PATHS} only, ordered before the
 * host's chains, stateless, without CSRF) keeps the host's chains off the broker's paths, beside
 * the {@code /api/**} chain of {@link io.minispod.spring.web.MinisPodSecurity}.
 */
@AutoConfiguration(
    after = MinisPodAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration"
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ServiceBroker.class, DispatcherServlet.class})
@ConditionalOnProperty(prefix = "minispod.broker", name = "enabled", havingValue = "true")
@ConditionalOnBean(Subscriptions.class)
@EnableConfigurationProperties(BrokerProperties.class)
@Import({BrokerController.class, BrokerExceptionHandler.class})
public class MinisPodBrokerAutoConfiguration {

  /** The paths of the Open Service Broker API. */
  public static final String BROKER_PATHS = "/v2/**";

  /** The order of the broker's security filter chain: before any chain of the host's. */
  public static final int SECURITY_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  /** Creates the auto-configuration; Spring calls it. */
  public MinisPodBrokerAutoConfiguration() {}

  /**
   * The broker over the catalog and subscriptions.
   *
   * @param catalog the catalog
   * @param subscriptions the subscriptions
   * @param clock the clock
   * @param properties the broker's credentials, checked here
   * @param bindingCredentials where bindings' credentials are made, if the host has them (without,
   *     the catalog says {@code bindable: false})
   * @return the broker
   * @throws InvalidConfigurationPropertyValueException if a credential is missing
   */
  @Bean
  @ConditionalOnMissingBean
  public ServiceBroker minisPodServiceBroker(
      Catalog catalog,
      Subscriptions subscriptions,
      Clock clock,
      BrokerProperties properties,
      ObjectProvider<BindingCredentials> bindingCredentials) {
    requireCredentials(properties);
    ServiceBrokerBuilder builder = ServiceBroker.builder(catalog, subscriptions).clock(clock);
    bindingCredentials.ifAvailable(builder::bindingCredentials);
    return builder.build();
  }

  /**
   * In-memory binding credentials beside the in-memory provisioner (development), unless the host
   * declares its own {@link BindingCredentials}.
   *
   * @return the credentials
   */
  @Bean
  @ConditionalOnMissingBean(BindingCredentials.class)
  @ConditionalOnProperty(prefix = "minispod.provisioner", name = "type", havingValue = "in-memory")
  public InMemoryBindingCredentials minisPodInMemoryBindingCredentials() {
    return new InMemoryBindingCredentials();
  }

  /**
   * The platform's authentication and the API version check on {@code /v2/*}, before Spring
   * Security's filters.
   *
   * @param properties the broker's credentials
   * @return the filter registration
   * @throws InvalidConfigurationPropertyValueException if a credential is missing
   */
  @Bean
  public FilterRegistrationBean<?> minisPodBrokerAuthFilter(BrokerProperties properties) {
    requireCredentials(properties);
    FilterRegistrationBean<BrokerAuthFilter> registration =
        new FilterRegistrationBean<>(
            new BrokerAuthFilter(properties.getUsername(), properties.getPassword()));
    registration.addUrlPatterns("/v2/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
    return registration;
  }

  static void requireCredentials(BrokerProperties properties) {
    String missing = null;
    if (properties.getUsername() == null || properties.getUsername().isBlank()) {
      missing = BrokerProperties.USERNAME;
    } else if (properties.getPassword() == null || properties.getPassword().isBlank()) {
      missing = BrokerProperties.PASSWORD;
    }
    if (missing != null) {
      throw new InvalidConfigurationPropertyValueException(
          missing,
          null,
          "the service broker is switched on ("
              + BrokerProperties.ENABLED
              + "=true) and has no default credentials: set "
              + BrokerProperties.USERNAME
              + " and "
              + BrokerProperties.PASSWORD
              + " to the user name and password the platform registers the broker with");
    }
  }

  /** A Secret per binding beside the Kubernetes provisioner, unless the host has credentials. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.minispod.k8s.KubernetesBindingCredentials")
  static class KubernetesBindings {

    @Bean(destroyMethod = "close")
    @ConditionalOnBean(KubernetesProvisioner.class)
    @ConditionalOnMissingBean(BindingCredentials.class)
    KubernetesBindingCredentials minisPodKubernetesBindingCredentials(
        KubernetesProvisioner provisioner) {
      return KubernetesBindingCredentials.withOwnClient(provisioner);
    }
  }

  /** The broker's own security filter chain, when Spring Security is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.security.web.SecurityFilterChain")
  @ConditionalOnBean(
      type = "org.springframework.security.config.annotation.web.builders.HttpSecurity")
  static class BrokerSecurity {

    @Bean
    @Order(SECURITY_ORDER)
    SecurityFilterChain minisPodBrokerSecurityFilterChain(HttpSecurity http) throws Exception {
      // BrokerAuthFilter has authenticated the platform before this chain runs.
      return http.securityMatcher(BROKER_PATHS)
          .csrf(AbstractHttpConfigurer::disable)
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
          .build();
    }
  }
}

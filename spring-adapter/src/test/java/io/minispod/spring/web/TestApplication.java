package io.minispod.spring.web;

import io.minispod.testkit.PostgresServer;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A host application for the HTTP tests: HTTP Basic users and a fresh embedded database. Like a
 * real host it has endpoints of its own ({@link HostEndpoints}), secured by its own chain ({@link
 * #host}) after the MinisPod chain ({@link #api}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(TestApplication.HostEndpoints.class)
class TestApplication {

  /** A path of the host's own, outside the MinisPod contract. */
  static final String HOST_PATH = "/host/whoami";

  static final String PASSWORD = "secret";
  static final int RACERS = 40;

  @Bean(destroyMethod = "close")
  DataSource dataSource(@Value("${test.pool-size:30}") int poolSize) {
    PostgresServer server = PostgresServer.shared();
    return server.pool(server.createDatabase(), poolSize);
  }

  /** A payment gateway that hangs until the test releases it, when a test asks for one. */
  @Bean
  @ConditionalOnProperty(name = "test.gateway", havingValue = "hanging")
  HangingGateway hangingGateway() {
    return new HangingGateway();
  }

  @Bean
  @Order(1)
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    MinisPodSecurity.apply(http)
        .httpBasic(b -> b.authenticationEntryPoint(MinisPodSecurity.authenticationEntryPoint()));
    return http.build();
  }

  /** The host's own rules for everything outside the MinisPod paths: authenticated callers only. */
  @Bean
  @Order(2)
  SecurityFilterChain host(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(
            auth -> auth.requestMatchers("/error").permitAll().anyRequest().authenticated())
        .httpBasic(Customizer.withDefaults());
    return http.build();
  }

  /** An endpoint of the host's own: who the caller is. */
  @RestController
  static class HostEndpoints {

    @GetMapping(HOST_PATH)
    String whoami(Principal principal) {
      return principal.getName();
    }
  }

  @Bean
  UserDetailsService users() {
    List<UserDetails> users = new ArrayList<>();
    for (String name : List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace")) {
      users.add(User.withUsername(name).password("{noop}" + PASSWORD).roles("USER").build());
    }
    for (int i = 1; i <= RACERS; i++) {
      users.add(User.withUsername("racer" + i).password("{noop}" + PASSWORD).roles("USER").build());
    }
    users.add(User.withUsername("admin").password("{noop}" + PASSWORD).roles("ADMIN").build());
    return new InMemoryUserDetailsManager(users);
  }
}

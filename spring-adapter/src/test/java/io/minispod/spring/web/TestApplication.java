package io.minispod.spring.web;

import io.minispod.testkit.PostgresServer;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/** A host application for the HTTP tests: HTTP Basic users and a fresh embedded database. */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApplication {

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
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    MinisPodSecurity.apply(http)
        .httpBasic(b -> b.authenticationEntryPoint(MinisPodSecurity.authenticationEntryPoint()));
    return http.build();
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

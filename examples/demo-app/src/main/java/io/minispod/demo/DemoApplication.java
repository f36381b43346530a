package io.minispod.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The MinisPod demo: the REST contract of API.md on an embedded PostgreSQL 17 (or {@code
 * MINISPOD_DB_URL}), the seed catalog, the in-memory provisioner, the mock payment gateway and
 * HS256 JWT bearer authentication. Start it with {@code java -jar minispod-demo.jar}; it prints its
 * URL and a user token and an admin token.
 */
@SpringBootApplication
public class DemoApplication {

  /**
   * Starts the demo.
   *
   * @param args Spring Boot arguments, e.g. {@code --server.port=9090}
   */
  public static void main(String[] args) {
    SpringApplication.run(DemoApplication.class, args);
  }
}

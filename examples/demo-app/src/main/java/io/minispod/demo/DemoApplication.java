package io.minispod.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The MinisPod demo: the REST contract of API.md on an embedded PostgreSQL 17 (or {@code
 * MINISPOD_DB_URL}), the seed catalog, the in-memory provisioner, the mock payment gateway and
 * HS256 JWT bearer authentication ({@link DemoSecurity}). Start it with {@code java -jar
 * minispod-demo.jar}: without {@code MINISPOD_JWT_SECRET} it signs with the public development
 * secret, listens on 127.0.0.1 only and prints its URL with a user token and an admin token; with
 * {@code MINISPOD_JWT_SECRET} set it listens on every interface and prints no token.
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

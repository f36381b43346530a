package io.minispod.spring.broker;

import io.minispod.broker.ServiceBroker;
import io.minispod.broker.ServiceBrokerException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The platform's identity on {@code /v2/**}: HTTP basic with the broker's credentials (401
 * otherwise), then {@code X-Broker-API-Version} (412 below 2.13), both answered with the OSB error
 * body. It runs before Spring Security's filters, whose broker chain then lets the request through.
 */
final class BrokerAuthFilter extends OncePerRequestFilter {

  static final String API_VERSION = "X-Broker-API-Version";
  static final String REQUEST_IDENTITY = "X-Broker-API-Request-Identity";

  private final byte[] expected;

  BrokerAuthFilter(String username, String password) {
    this.expected =
        ("Basic "
                + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)))
            .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String requestIdentity = request.getHeader(REQUEST_IDENTITY);
    if (requestIdentity != null) {
      response.setHeader(REQUEST_IDENTITY, requestIdentity);
    }
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization == null
        || !MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8))) {
      response.setHeader(
          HttpHeaders.WWW_AUTHENTICATE,
          "Basic realm=\"MinisPod service broker\", charset=\"UTF-8\"");
      OsbBodies.write(
          response,
          new ServiceBrokerException(
              401, null, "The platform's broker credentials are missing or wrong"));
      return;
    }
    try {
      ServiceBroker.requireApiVersion(request.getHeader(API_VERSION));
    } catch (ServiceBrokerException e) {
      OsbBodies.write(response, e);
      return;
    }
    chain.doFilter(request, response);
  }
}

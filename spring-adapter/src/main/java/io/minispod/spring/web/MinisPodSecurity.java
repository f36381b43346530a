package io.minispod.spring.web;

import io.minispod.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The access rules of API.md for a security filter chain of the host: the chain matches the
 * contract's paths only ({@link #API_PATHS}, {@code /api/**}); within them the catalog is public,
 * {@code /api/user/**} needs an authenticated caller and {@code /api/admin/**} the role {@code
 * ADMIN}; 401 and 403 answer with the error envelope. The host brings the authentication mechanism
 * (a JWT resource server, HTTP Basic, a session) and passes {@link #authenticationEntryPoint()} to
 * it.
 *
 * <p>The host's own endpoints are not touched: give this chain a lower {@code @Order} than the
 * host's chain, which then handles every request outside {@code /api/**} with the host's rules.
 *
 * <pre>{@code
 * @Bean
 * @Order(1)
 * SecurityFilterChain minisPod(HttpSecurity http) throws Exception {
 *   MinisPodSecurity.apply(http)
 *       .oauth2ResourceServer(o -> o.jwt(Customizer.withDefaults())
 *           .authenticationEntryPoint(MinisPodSecurity.authenticationEntryPoint()));
 *   return http.build();
 * }
 *
 * @Bean
 * @Order(2)
 * SecurityFilterChain host(HttpSecurity http) throws Exception {
 *   http.authorizeHttpRequests(a -> a.requestMatchers("/error").permitAll()
 *           .anyRequest().authenticated())
 *       .oauth2ResourceServer(o -> o.jwt(Customizer.withDefaults()));
 *   return http.build();
 * }
 * }</pre>
 *
 * <p>CSRF protection is switched off and no session is created on {@code /api/**}, because the
 * contract is a stateless API called with bearer credentials; a host that authenticates those paths
 * with cookies must keep CSRF protection on instead of calling this.
 */
public final class MinisPodSecurity {

  /**
   * The paths of the REST contract of API.md: the only requests a chain built by {@link #apply}
   * matches.
   *
   * <p>The Open Service Broker API under {@code /v2/**} is deliberately not matched here: the
   * platform calling it authenticates with HTTP Basic against the broker's own credentials and
   * expects the OSB error body, so {@code MinisPodBrokerAutoConfiguration} brings a chain of its
   * own for {@code /v2/**}, ordered before the host's chains, rather than a wider matcher on this
   * chain.
   */
  public static final String API_PATHS = "/api/**";

  private MinisPodSecurity() {}

  /**
   * Applies the rules of API.md to {@code http} and restricts the chain to {@link #API_PATHS}.
   *
   * @param http the host's security builder for the MinisPod chain
   * @return the same builder, for further configuration
   * @throws Exception as {@code HttpSecurity}'s own methods do
   */
  public static HttpSecurity apply(HttpSecurity http) throws Exception {
    return http.securityMatcher(API_PATHS)
        .csrf(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers("/api/admin/**")
                    .hasRole(Caller.ADMIN_ROLE)
                    .requestMatchers("/api/user/**")
                    .authenticated()
                    .anyRequest()
                    .permitAll())
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(authenticationEntryPoint())
                    .accessDeniedHandler(accessDeniedHandler()));
  }

  /**
   * Answers 401 {@code UNAUTHENTICATED} with the error envelope.
   *
   * @return the entry point
   */
  public static AuthenticationEntryPoint authenticationEntryPoint() {
    return (request, response, exception) ->
        write(response, 401, ErrorCode.UNAUTHENTICATED, "Authentication is required");
  }

  /**
   * Answers 403 {@code FORBIDDEN} with the error envelope.
   *
   * @return the handler
   */
  public static AccessDeniedHandler accessDeniedHandler() {
    return (request, response, exception) ->
        write(response, 403, ErrorCode.FORBIDDEN, "Administrator role required");
  }

  private static void write(
      jakarta.servlet.http.HttpServletResponse response, int status, ErrorCode code, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(Envelope.errorJson(code, message));
  }
}

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
 * The access rules of API.md for a host's {@code HttpSecurity}: the catalog is public, {@code
 * /api/user/**} needs an authenticated caller and {@code /api/admin/**} the role {@code ADMIN}; 401
 * and 403 answer with the error envelope. The host brings the authentication mechanism (a JWT
 * resource server, HTTP Basic, a session) and passes {@link #authenticationEntryPoint()} to it.
 *
 * <pre>{@code
 * @Bean
 * SecurityFilterChain api(HttpSecurity http) throws Exception {
 *   MinisPodSecurity.apply(http)
 *       .oauth2ResourceServer(o -> o.jwt(Customizer.withDefaults())
 *           .authenticationEntryPoint(MinisPodSecurity.authenticationEntryPoint()));
 *   return http.build();
 * }
 * }</pre>
 *
 * <p>CSRF protection is switched off and no session is created, because the contract is a stateless
 * API called with bearer credentials; a host that authenticates with cookies must keep CSRF
 * protection on instead of calling this.
 */
public final class MinisPodSecurity {

  private MinisPodSecurity() {}

  /**
   * Applies the rules of API.md to {@code http}.
   *
   * @param http the host's security builder
   * @return the same builder, for further configuration
   * @throws Exception as {@code HttpSecurity}'s own methods do
   */
  public static HttpSecurity apply(HttpSecurity http) throws Exception {
    return http.csrf(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers("/api/admin/**")
                    .hasRole("ADMIN")
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

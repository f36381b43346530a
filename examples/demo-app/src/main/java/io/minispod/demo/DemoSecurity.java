package io.minispod.demo;

import io.minispod.spring.web.MinisPodSecurity;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code Authorization: Bearer <JWT>} signed with HS256: the secret is {@code MINISPOD_JWT_SECRET}
 * (at least 32 bytes) or, for development only, {@link #DEVELOPMENT_SECRET}; claim {@code sub} is
 * the user id, claim {@code roles} (strings) may hold {@code admin}. A token must carry {@code
 * exp}; {@code iss} and {@code aud} are checked when {@code MINISPOD_JWT_ISSUER} and {@code
 * MINISPOD_JWT_AUDIENCE} are set.
 *
 * <p>The development secret is public, so anyone who can reach a demo that uses it can sign an
 * admin token: without {@code MINISPOD_JWT_SECRET} the demo listens on the loopback address only
 * (and refuses a {@code server.address} that is not a loopback address).
 *
 * <p>Two chains: MinisPod's rules on {@code /api/**} ({@link MinisPodSecurity}), then the demo's
 * own for everything else: health status for anyone (details for admins), other Actuator endpoints
 * (metrics) for admins, the OpenAPI document and Swagger UI for anyone.
 */
@Configuration(proxyBeanMethods = false)
class DemoSecurity {

  /** The documented development default; never use it outside a laptop. */
  static final String DEVELOPMENT_SECRET = "minispod-development-secret-change-me-0123456789";

  /** The address the demo listens on with the development secret. */
  static final String LOOPBACK = "127.0.0.1";

  private static final Logger log = LoggerFactory.getLogger(DemoSecurity.class);

  /**
   * The demo's token settings, read as environment variables (or properties of the same names).
   *
   * @param key the HS256 key
   * @param developmentSecret whether the key is the public {@link #DEVELOPMENT_SECRET}
   * @param issuer the required {@code iss}, or null to accept any
   * @param audience the audience {@code aud} must include, or null to accept any
   */
  record JwtSettings(SecretKey key, boolean developmentSecret, String issuer, String audience) {

    static JwtSettings of(Environment environment) {
      String secret = value(environment, "MINISPOD_JWT_SECRET");
      boolean development = secret == null;
      byte[] bytes = (development ? DEVELOPMENT_SECRET : secret).getBytes(StandardCharsets.UTF_8);
      if (bytes.length < 32) {
        throw new IllegalStateException(
            "MINISPOD_JWT_SECRET must be at least 32 bytes for HS256, was " + bytes.length);
      }
      return new JwtSettings(
          new SecretKeySpec(bytes, "HmacSHA256"),
          development,
          value(environment, "MINISPOD_JWT_ISSUER"),
          value(environment, "MINISPOD_JWT_AUDIENCE"));
    }

    private static String value(Environment environment, String name) {
      String value = environment.getProperty(name);
      return value == null || value.isBlank() ? null : value.strip();
    }
  }

  @Bean
  JwtSettings jwtSettings(Environment environment) {
    JwtSettings jwt = JwtSettings.of(environment);
    if (jwt.developmentSecret()) {
      log.warn(
          "MINISPOD_JWT_SECRET is not set: tokens are signed with the public development secret,"
              + " so the demo listens on the loopback address only");
    }
    if (jwt.issuer() != null) {
      log.info("Tokens must carry iss {}", jwt.issuer());
    }
    if (jwt.audience() != null) {
      log.info("Tokens must carry aud {}", jwt.audience());
    }
    return jwt;
  }

  @Bean
  JwtDecoder jwtDecoder(JwtSettings jwt, Clock clock) {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(jwt.key()).macAlgorithm(MacAlgorithm.HS256).build();
    decoder.setJwtValidator(validator(jwt, clock));
    return decoder;
  }

  /**
   * Expiry required (Spring Security's timestamp validator lets a token without {@code exp} pass
   * unless told otherwise), issuer and audience when configured.
   */
  static OAuth2TokenValidator<Jwt> validator(JwtSettings jwt, Clock clock) {
    JwtTimestampValidator timestamps = new JwtTimestampValidator();
    timestamps.setAllowEmptyExpiryClaim(false);
    timestamps.setClock(clock);
    List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>(List.of(timestamps));
    if (jwt.issuer() != null) {
      validators.add(new JwtIssuerValidator(jwt.issuer()));
    }
    if (jwt.audience() != null) {
      validators.add(new JwtAudienceValidator(jwt.audience()));
    }
    return new DelegatingOAuth2TokenValidator<>(validators);
  }

  /** MinisPod's rules on {@code /api/**}. */
  @Bean
  @Order(1)
  SecurityFilterChain api(HttpSecurity http, JwtDecoder decoder) throws Exception {
    bearer(MinisPodSecurity.apply(http), decoder);
    return http.build();
  }

  /** The demo's own endpoints: Actuator, the OpenAPI document, Swagger UI. */
  @Bean
  @Order(2)
  SecurityFilterChain demo(HttpSecurity http, JwtDecoder decoder) throws Exception {
    bearer(http, decoder)
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll() // details only for admins: management.endpoint.health.roles
                    .requestMatchers("/actuator/**")
                    .hasRole("ADMIN")
                    .requestMatchers(
                        "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                    .permitAll()
                    .requestMatchers("/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(MinisPodSecurity.authenticationEntryPoint())
                    .accessDeniedHandler(MinisPodSecurity.accessDeniedHandler()));
    return http.build();
  }

  /** Bearer JWT authentication with the demo's decoder, answering with MinisPod's envelopes. */
  private static HttpSecurity bearer(HttpSecurity http, JwtDecoder decoder) throws Exception {
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    converter.setJwtGrantedAuthoritiesConverter(jwt -> roles(jwt.getClaimAsStringList("roles")));
    return http.oauth2ResourceServer(
        o ->
            o.authenticationEntryPoint(MinisPodSecurity.authenticationEntryPoint())
                .accessDeniedHandler(MinisPodSecurity.accessDeniedHandler())
                .jwt(j -> j.decoder(decoder).jwtAuthenticationConverter(converter)));
  }

  private static Collection<GrantedAuthority> roles(List<String> roles) {
    List<GrantedAuthority> authorities = new ArrayList<>();
    if (roles != null) {
      for (String role : roles) {
        if (role != null && !role.isBlank()) {
          authorities.add(new SimpleGrantedAuthority("ROLE_" + role.toUpperCase(Locale.ROOT)));
        }
      }
    }
    return authorities;
  }

  /**
   * With the development secret, listens on {@link #LOOPBACK} only, unless {@code server.address}
   * names another loopback address; a non-loopback {@code server.address} fails start-up.
   */
  @Bean
  WebServerFactoryCustomizer<ConfigurableWebServerFactory> loopbackWithDevelopmentSecret(
      JwtSettings jwt, Environment environment) {
    return factory -> {
      if (!jwt.developmentSecret()) {
        return;
      }
      String configured = environment.getProperty("server.address");
      if (configured == null || configured.isBlank()) {
        factory.setAddress(address(LOOPBACK));
      } else if (!isLoopback(configured)) {
        throw new IllegalStateException(
            "server.address="
                + configured
                + " needs MINISPOD_JWT_SECRET: with the public development secret anyone who"
                + " reaches the demo can sign an admin token, so it listens on a loopback address"
                + " only");
      }
    };
  }

  private static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(literal + " is not an address", e);
    }
  }

  /** Mints demo tokens with the same secret, issuer and audience, for the start-up banner. */
  @Bean
  DemoTokens demoTokens(JwtSettings jwt, Clock clock) {
    return new DemoTokens(jwt.key(), jwt.issuer(), jwt.audience(), clock);
  }

  /** Signs tokens for the printed examples. */
  static final class DemoTokens {

    private final NimbusJwtEncoder encoder;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    /** Tokens without {@code iss} or {@code aud}, issued now. */
    DemoTokens(SecretKey secret) {
      this(secret, null, null, Clock.systemUTC());
    }

    /**
     * Tokens with the given {@code iss} and {@code aud} (each left out when null), issued at the
     * clock's time.
     */
    DemoTokens(SecretKey secret, String issuer, String audience, Clock clock) {
      this.encoder = NimbusJwtEncoder.withSecretKey(secret).algorithm(MacAlgorithm.HS256).build();
      this.issuer = issuer;
      this.audience = audience;
      this.clock = clock;
    }

    String token(String user, List<String> roles, Duration validity) {
      Instant now = clock.instant();
      JwtClaimsSet.Builder claims =
          JwtClaimsSet.builder()
              .subject(user)
              .claim("roles", roles)
              .issuedAt(now)
              .expiresAt(now.plus(validity));
      if (issuer != null) {
        claims.issuer(issuer);
      }
      if (audience != null) {
        claims.audience(List.of(audience));
      }
      return encoder
          .encode(
              JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims.build()))
          .getTokenValue();
    }
  }
}

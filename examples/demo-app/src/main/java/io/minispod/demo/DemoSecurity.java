package io.minispod.demo;

import io.minispod.spring.web.MinisPodSecurity;
import java.nio.charset.StandardCharsets;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code Authorization: Bearer <JWT>} signed with HS256: the secret is {@code MINISPOD_JWT_SECRET}
 * (at least 32 bytes) or, for development only, {@link #DEVELOPMENT_SECRET}; claim {@code sub} is
 * the user id, claim {@code roles} (strings) may hold {@code admin}.
 */
@Configuration(proxyBeanMethods = false)
class DemoSecurity {

  /** The documented development default; never use it outside a laptop. */
  static final String DEVELOPMENT_SECRET = "minispod-development-secret-change-me-0123456789";

  private static final Logger log = LoggerFactory.getLogger(DemoSecurity.class);

  @Bean
  SecretKey jwtSecret() {
    String secret = System.getenv("MINISPOD_JWT_SECRET");
    if (secret == null || secret.isBlank()) {
      log.warn("MINISPOD_JWT_SECRET is not set: using the development default secret");
      secret = DEVELOPMENT_SECRET;
    }
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < 32) {
      throw new IllegalStateException(
          "MINISPOD_JWT_SECRET must be at least 32 bytes for HS256, was " + bytes.length);
    }
    return new SecretKeySpec(bytes, "HmacSHA256");
  }

  @Bean
  JwtDecoder jwtDecoder(SecretKey jwtSecret) {
    return NimbusJwtDecoder.withSecretKey(jwtSecret).macAlgorithm(MacAlgorithm.HS256).build();
  }

  @Bean
  SecurityFilterChain api(HttpSecurity http, JwtDecoder decoder) throws Exception {
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    converter.setJwtGrantedAuthoritiesConverter(jwt -> roles(jwt.getClaimAsStringList("roles")));
    MinisPodSecurity.apply(http)
        .oauth2ResourceServer(
            o ->
                o.authenticationEntryPoint(MinisPodSecurity.authenticationEntryPoint())
                    .accessDeniedHandler(MinisPodSecurity.accessDeniedHandler())
                    .jwt(j -> j.decoder(decoder).jwtAuthenticationConverter(converter)));
    return http.build();
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

  /** Mints demo tokens with the same secret, for the start-up banner. */
  @Bean
  DemoTokens demoTokens(SecretKey jwtSecret) {
    return new DemoTokens(jwtSecret);
  }

  /** Signs tokens for the printed examples. */
  static final class DemoTokens {

    private final NimbusJwtEncoder encoder;

    DemoTokens(SecretKey secret) {
      this.encoder = NimbusJwtEncoder.withSecretKey(secret).algorithm(MacAlgorithm.HS256).build();
    }

    String token(String user, List<String> roles, Duration validity) {
      Instant now = Instant.now();
      JwtClaimsSet claims =
          JwtClaimsSet.builder()
              .subject(user)
              .claim("roles", roles)
              .issuedAt(now)
              .expiresAt(now.plus(validity))
              .build();
      return encoder
          .encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
          .getTokenValue();
    }
  }
}

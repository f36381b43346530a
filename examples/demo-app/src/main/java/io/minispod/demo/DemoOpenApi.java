package io.minispod.demo;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The title and the bearer scheme of the OpenAPI document at {@code /v3/api-docs}. */
@Configuration(proxyBeanMethods = false)
class DemoOpenApi {

  @Bean
  OpenAPI minisPodOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("MinisPod catalog API")
                .version("0.1.0")
                .description(
                    "Catalog (public), user subscriptions, upgrades, instances and billing"
                        + " (bearer JWT: HS256, exp required), administration (bearer JWT with"
                        + " roles [admin])."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "bearer",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }
}

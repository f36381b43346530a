/**
 * Spring Boot integration of MinisPod: {@link io.minispod.spring.MinisPodAutoConfiguration} builds
 * the services from the host's {@code DataSource} and the {@code minispod.*} properties ({@link
 * io.minispod.spring.MinisPodProperties}); {@link
 * io.minispod.spring.web.MinisPodWebAutoConfiguration} serves the REST contract of API.md; {@link
 * io.minispod.spring.web.MinisPodSecurity} applies its access rules to a host's {@code
 * HttpSecurity}.
 */
package io.minispod.spring;

/**
 * Spring Boot integration of MinisPod: {@link io.minispod.spring.MinisPodAutoConfiguration} builds
 * the services from the host's {@code DataSource} and the {@code minispod.*} properties ({@link
 * io.minispod.spring.MinisPodProperties}); {@link
 * io.minispod.spring.web.MinisPodWebAutoConfiguration} serves the REST contract of API.md; {@link
 * io.minispod.spring.web.MinisPodSecurity} applies its access rules to a chain of the host's for
 * {@code /api/**}. Web, Spring Security and Actuator are optional: each part switches on when its
 * classes are present, and the core services need none of them.
 */
package io.minispod.spring;

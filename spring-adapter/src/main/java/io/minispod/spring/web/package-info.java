/**
 * The REST contract of API.md: {@link io.minispod.spring.web.MinisPodWebAutoConfiguration}
 * registers the controllers (when Spring MVC and Bean Validation are present), and {@link
 * io.minispod.spring.web.MinisPodSecurity} gives a security filter chain of the host the contract's
 * access rules on {@code /api/**} only, with its 401/403 envelopes; the host's other endpoints keep
 * the host's own chains.
 */
package io.minispod.spring.web;

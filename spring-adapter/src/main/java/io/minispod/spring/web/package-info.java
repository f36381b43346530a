/**
 * The REST contract of API.md: {@link io.minispod.spring.web.MinisPodWebAutoConfiguration}
 * registers the controllers, and {@link io.minispod.spring.web.MinisPodSecurity} gives a host's
 * {@code HttpSecurity} the contract's access rules and its 401/403 envelopes.
 */
package io.minispod.spring.web;

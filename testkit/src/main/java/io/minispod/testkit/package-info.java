/**
 * Test fixtures for MinisPod and its hosts. Entry points: {@link io.minispod.testkit.FreshDatabase}
 * (a migrated PostgreSQL database per test class), {@link io.minispod.testkit.PostgresServer} (the
 * server behind it, embedded or external) and {@link io.minispod.testkit.MutableClock} (time that
 * tests move by hand).
 */
package io.minispod.testkit;

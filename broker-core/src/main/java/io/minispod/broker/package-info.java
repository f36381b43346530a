/**
 * The Open Service Broker API v2.17 over MinisPod, free of any HTTP framework. The entry point is
 * {@link io.minispod.broker.ServiceBroker#builder}; its schema is {@link
 * io.minispod.broker.BrokerSchema}. Requests and answers are records mirroring the spec's bodies;
 * refusals are {@link io.minispod.broker.ServiceBrokerException}s carrying the HTTP status and the
 * OSB {@code error} code.
 */
package io.minispod.broker;

/**
 * The Consul backend: {@link dev.baton.consul.ConsulBackend} implements Baton's SPI over the Consul HTTP API, with
 * sessions for leases, KV transactions for compare-and-set and lock acquisition, and blocking queries for watches.
 */
package dev.baton.consul;

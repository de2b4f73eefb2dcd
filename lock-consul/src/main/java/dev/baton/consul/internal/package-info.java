/**
 * Internals of the Consul backend: the small HTTP client interface it runs on ({@link
 * dev.baton.consul.internal.ConsulHttp}), its implementation over consul-api and the JDK's {@code HttpClient}, and the
 * watch built on blocking queries. Not for users: anything here may change without notice.
 */
package dev.baton.consul.internal;

/** Internals of the etcd backend: key mapping, request deadlines, error translation, resumable watches. */
package dev.baton.etcd.internal;

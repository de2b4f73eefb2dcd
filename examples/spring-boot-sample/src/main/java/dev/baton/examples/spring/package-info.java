/** A Spring Boot sample application on Baton's starter (not a library; not published). */
package dev.baton.examples.spring;

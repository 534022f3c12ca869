/**
 * Example: the quickstart gateway, one {@code main} that runs tickmux from configuration with the
 * built-in modules on the classpath. Uses public API only.
 */
package io.tickmux.examples.quickstart;

/**
 * Strict reading of a module's settings: every problem at once, with full paths, origins and
 * did-you-mean. Depends on Typesafe Config only.
 */
package io.tickmux.routing.config;

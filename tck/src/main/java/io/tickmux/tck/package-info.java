/**
 * Compatibility kits: abstract JUnit test classes that a router or transport extends to prove it
 * meets tickmux's contracts. JUnit, AssertJ and Awaitility are in this module's main scope.
 */
package io.tickmux.tck;

package io.tickmux.buildchecks.internal;

/** A stand-in for a module's internal class, for the test that the rule reports a crossing. */
public final class Hidden {}

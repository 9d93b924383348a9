/**
 * Conformance runner for the MongoDB driver specification tests in the unified test format, run through the official
 * Java sync driver against an in-process Argon.
 *
 * <p>The test data is not part of this repository: it is licensed CC BY-NC-SA, so {@link
 * dev.argon.proxy.conformance.SpecData} reads it from a path given at test time and the suite skips without it.
 *
 * <p>Shape: {@link dev.argon.proxy.conformance.ConformanceTest} turns every spec test into a dynamic JUnit test;
 * {@link dev.argon.proxy.conformance.UnifiedRunner} executes one (requirements, initial data, entities, operations,
 * events, outcome); {@link dev.argon.proxy.conformance.Operations} maps operation names to driver calls;
 * {@link dev.argon.proxy.conformance.Matcher} implements the format's matching rules;
 * {@link dev.argon.proxy.conformance.Report} renders the per-directory table.
 *
 * <p>Verdicts: a test excluded by its own requirements is "not runnable"; one needing a feature the runner does not
 * model, or one the server lacks entirely (fail points), is "skipped" with the reason; everything else passes or
 * fails. Failures are known gaps listed in the report and do not break the build; a directory dropping below its
 * floor in {@code conformance/floors.properties} does.
 */
package dev.argon.proxy.conformance;

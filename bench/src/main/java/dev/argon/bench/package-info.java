/**
 * The bench module: JMH microbenchmarks ({@code dev.argon.bench.jmh.*}, one package per area) and the workload
 * harness ({@link dev.argon.bench.harness}) that the CLI's {@code argon bench} fronts. {@link dev.argon.bench.BenchData}
 * holds the deterministic data generators and temporary-directory helpers both use. JMH stays in this module.
 */
package dev.argon.bench;

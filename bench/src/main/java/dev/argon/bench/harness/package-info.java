/**
 * The workload harness behind {@code argon bench}: it starts the system under test (an in-process Argon on a
 * temporary data directory and an ephemeral port, or any {@code mongodb://} server given by URI), loads a
 * YCSB-style data set through the Java driver, runs closed-loop workloads from N client threads, and then does
 * the same against each peer (mongo-java-server's memory and H2 backends, in-process on loopback) so that every
 * figure has a peer figure from the same run.
 *
 * <p>Flow: {@link dev.argon.bench.harness.Harness} starts one {@link dev.argon.bench.harness.Target} at a time
 * (so a peer never competes with Argon for the two cores), opens a {@link dev.argon.bench.harness.Session}, loads
 * with {@link dev.argon.bench.harness.Loader} and runs each {@link dev.argon.bench.harness.Workload} through
 * {@link dev.argon.bench.harness.LoadRunner}, which keeps one HdrHistogram per operation per thread and merges
 * them at the end. Results are {@link dev.argon.bench.harness.WorkloadResult}s gathered in a
 * {@link dev.argon.bench.harness.BenchRun}, printed by {@link dev.argon.bench.harness.TableReport} and
 * {@link dev.argon.bench.harness.JsonReport}.
 *
 * <p>Argon-only workloads (branches, time travel, diff and merge) find out what the server supports by asking
 * it: a server that answers {@code CommandNotFound} (59) or {@code NotImplemented} (238) gets a skipped result
 * with a note, never an error, so the harness runs unchanged against older builds and against peers.
 *
 * <p>Failures of single operations are counted per operation and never stop a run; a failure to start a target
 * or to load its data ends that target's part of the run with a note. Classes are not thread-safe unless they
 * say so; the harness itself is used from one thread.
 */
package dev.argon.bench.harness;

/**
 * WAL append: one {@link dev.argon.wal.Wal#commit} per invocation, swept over the number of entries per commit and
 * over durability ({@code sync = true} is a client's {@code j: true}, which waits for a shared fsync). The
 * {@code entries} counter reports entries per second, so batch sizes compare directly.
 */
package dev.argon.bench.jmh.wal;

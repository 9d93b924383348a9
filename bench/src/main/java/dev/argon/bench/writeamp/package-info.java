/**
 * Write amplification: how many bytes Argon and RocksDB write, and keep on disk, per inserted and per updated
 * document. {@link dev.argon.bench.writeamp.WriteAmplification} is a main that runs each case on a fresh data
 * directory with an in-process server and the Java driver, reading the WAL's {@code StorageStats} between phases.
 * Figures and commands: {@code docs/PERFORMANCE.md}, "Write amplification". Single-threaded; nothing here is shared.
 */
package dev.argon.bench.writeamp;

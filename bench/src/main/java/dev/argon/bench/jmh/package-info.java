/**
 * JMH microbenchmarks, one package per area: {@code wal} (append by batch size and durability),
 * {@code versions} (versioned point reads and short scans by branch depth, time travel), {@code query}
 * (indexed finds against collection scans), {@code keys}
 * (order-preserving key encoding), {@code wire} (BSON decode from a Netty buffer) and {@code zstd} (block
 * compression with and without a trained dictionary). Every benchmark builds its data in {@code @Setup} from a
 * fixed seed, so two runs measure the same bytes; {@link dev.argon.bench.BenchData} holds the shared
 * generators. Run them from {@code bench/target/benchmarks.jar} (see {@code bench/README.md}).
 */
package dev.argon.bench.jmh;

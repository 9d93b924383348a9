/**
 * zstd block compression as segments will use it: blocks of concatenated BSON documents, compressed and
 * decompressed with and without a dictionary trained on a sample of the same collection.
 */
package dev.argon.bench.jmh.zstd;

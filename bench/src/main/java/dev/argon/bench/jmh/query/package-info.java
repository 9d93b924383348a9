/**
 * Query planner benchmarks: the same query through an index and through a collection scan
 * ({@code hint: {$natural: 1}}) over one engine, on fresh documents and on documents updated many times (history
 * beside the current state). Commands go straight to the engine's command service, without the wire.
 */
package dev.argon.bench.jmh.query;

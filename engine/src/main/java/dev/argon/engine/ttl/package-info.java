/**
 * TTL indexes: {@link dev.argon.engine.ttl.TtlMonitor} deletes, every {@code ttlMonitorSleepSecs} (60 s, as on
 * mongod), the documents whose indexed date lies more than the index's {@code expireAfterSeconds} in the past, on
 * every live branch whose catalog has such an index (protected branches included: expiry is the data's own rule,
 * not a direct write by a user). Each collection's expired documents go in one ordinary commit of that branch with
 * actor {@code ttl}, so {@code branchLog}, diff, revert and change streams see them like any delete; a large one
 * streams in chunks like any large write. {@link dev.argon.engine.ttl.TtlIndex} says which indexes are TTL indexes
 * and validates the option. Thread-safe.
 */
package dev.argon.engine.ttl;

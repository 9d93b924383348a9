/**
 * The archive manifest: the one source of truth for what an archive in an object store holds. A
 * {@link dev.argon.storage.manifest.Manifest} names every segment a reader needs (per kind, with its SHA-256
 * name, size, entry count, key and LSN ranges), the LSN the archive covers up to, the wall time, the parent
 * manifest of an incremental chain, the refs (branches and tags) it was taken with, and free-form properties.
 * It is immutable and written last: segments first, then the manifest under a numbered key with a conditional
 * create, then the small {@code latest} pointer ({@link dev.argon.storage.manifest.ManifestStore}). A reader
 * therefore never sees a manifest naming a segment that is not there, nor a torn manifest (each ends in a
 * checksum). Text layout: docs/FORMATS.md, "Archive manifest".
 *
 * <p>The module knows bytes, not documents: what a kind's keys mean is the writer's business (the wal's
 * {@code archive} package). Kinds are free strings so that tiered segments of a later compaction can be named
 * by the same manifest.
 */
package dev.argon.storage.manifest;

/**
 * History GC as the engine drives it: {@link dev.argon.engine.gc.HistoryGc} runs the WAL's reclaimer in the
 * background and on demand (the {@code gc} command), with the engine's knowledge of which keys belong to which
 * collection and index and of the merge marks' source states; {@link dev.argon.engine.gc.GcSettings} holds the
 * retention, the reflog window and the interval. What is kept and why is the WAL's business
 * ({@code dev.argon.wal.GcPlan}, {@code dev.argon.wal.Reclaimer}). Thread-safe.
 */
package dev.argon.engine.gc;

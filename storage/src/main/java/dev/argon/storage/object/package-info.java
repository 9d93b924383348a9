/**
 * The object store SPI: {@link dev.argon.storage.object.ObjectStore}, a flat namespace of byte objects with
 * atomic publish (a reader never sees a partial object, also after a failed upload or a crash), ranged
 * reads, prefix listings and a create-if-absent for manifests.
 *
 * <p>Implementations: {@link dev.argon.storage.object.LocalFolderStore} (the default, and {@code file://}
 * backups), {@link dev.argon.storage.object.MemoryStore} (tests) and, in {@code dev.argon.storage.s3}, the S3
 * store. All pass one contract test suite ({@code ObjectStoreContract}).
 *
 * <p>Failures are {@link dev.argon.storage.object.ObjectStoreException}s whose kind says whether they are
 * permanent; {@link dev.argon.storage.object.RetryPolicy} retries only transient ones, with jittered
 * exponential backoff, and {@link dev.argon.storage.object.RetryingObjectStore} applies it to any store.
 * Keys are checked by {@link dev.argon.storage.object.ObjectKeys} in every store, so no key leaves the
 * folder or the bucket prefix. Every class here is thread-safe.
 */
package dev.argon.storage.object;

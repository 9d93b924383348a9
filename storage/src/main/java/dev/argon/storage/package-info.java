/**
 * Object storage: where immutable, zstd-compressed segments of compacted history live (a local folder or
 * an S3-compatible bucket). This module knows bytes, not documents or branches.
 */
package dev.argon.storage;

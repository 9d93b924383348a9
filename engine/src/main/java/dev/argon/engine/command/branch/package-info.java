/**
 * Version-control admin commands (createBranch, listBranches, dropBranch, renameBranch, protectBranch,
 * argonStatus) with exactly the shapes of the design's command table, and ref resolution
 * ({@link dev.argon.engine.command.branch.Refs}). Stateless handlers.
 */
package dev.argon.engine.command.branch;

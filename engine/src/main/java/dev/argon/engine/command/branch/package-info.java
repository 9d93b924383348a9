/**
 * Version-control admin commands (createBranch, listBranches, dropBranch, renameBranch, protectBranch,
 * argonStatus, branchLog, diff, mergeBranch, tags, resetBranch, revert) with the shapes of docs/COMMANDS.md, and
 * ref resolution ({@link dev.argon.engine.command.branch.Refs}). Answers that can grow without bound (diff,
 * branchLog, a merge preview's conflicts) are cursors named {@code <db>.$cmd.<command>}, produced lazily and
 * paged with getMore. Stateless handlers.
 */
package dev.argon.engine.command.branch;

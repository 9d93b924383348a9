/**
 * Multi-document transactions on one branch: {@link dev.argon.engine.command.txn.TransactionStatement} runs every
 * command that carries {@code autocommit: false} (the session and txnNumber rules, the commands allowed, the
 * branch and snapshot), and the {@code commitTransaction} / {@code abortTransaction} handlers end a transaction.
 *
 * <p>Invariants. A transaction reads the snapshot its first statement took plus its own writes, and holds every
 * change in memory; nothing reaches the WAL before its commit, which is one WAL commit (one entry in
 * {@code argon log}) written under the branch's write lock after checking that no concurrent commit changed what
 * the transaction wrote (otherwise 112 WriteConflict with the {@code TransientTransactionError} label, and nothing
 * written). A transaction never spans branches or reads a time-travel view. Any error inside a transaction aborts
 * it, as on mongod. {@link dev.argon.engine.command.txn.TransactionErrors} adds the error labels drivers act on.
 *
 * <p>Thread-safety: the classes are stateless; a transaction's state is used under its session's lock.
 */
package dev.argon.engine.command.txn;

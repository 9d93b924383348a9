/**
 * Logical sessions, cluster time, retryable writes and the state of transactions: a write command that carries
 * {@code lsid} and {@code txnNumber} is applied at most once, however often a driver retries it.
 *
 * <ul>
 *   <li>{@link dev.argon.engine.session.TxnId} parses and checks {@code lsid}/{@code txnNumber}
 *       (only insert, update, delete and findAndModify accept a {@code txnNumber} outside a transaction).</li>
 *   <li>{@link dev.argon.engine.session.SessionCatalog} checks a session out to one command at a time (a retry
 *       arriving while its first attempt still runs waits for it), refuses an older {@code txnNumber} with 225
 *       TransactionTooOld, and owns the records. Sessions are found by the lsid's UUID (an lsid of another shape, one
 *       with {@code uid}, by its encoding); the record's key is encoded once per session.</li>
 *   <li>{@link dev.argon.engine.session.RetryableWrite} is a command's view: which statements (by {@code stmtId})
 *       an earlier attempt applied and what they answered, so that handlers answer those from the record and
 *       apply only the rest.</li>
 *   <li>{@link dev.argon.engine.session.TxnRecord} is the record of a session's newest {@code txnNumber} (a
 *       retryable write's statements, or a committed transaction);
 *       {@link dev.argon.engine.session.RetryableErrors} adds the {@code RetryableWriteError} label.</li>
 *   <li>{@link dev.argon.engine.session.Transaction} is a session's multi-document transaction (its branch, its
 *       deferred write session, its state); {@link dev.argon.engine.session.TxnSession} is a session checked out
 *       by one command of a transaction. The rules live in {@code command.txn}.</li>
 *   <li>{@link dev.argon.engine.session.LocalSessions} is every session this server has seen (for
 *       {@code $listLocalSessions} and expiry); {@link dev.argon.engine.session.ClusterTime} maps LSNs to the BSON
 *       Timestamps of {@code $clusterTime}, {@code operationTime} and {@code afterClusterTime};
 *       {@link dev.argon.engine.session.ReadConcern} parses {@code readConcern};
 *       {@link dev.argon.engine.session.SnapshotRead} is a snapshot read outside a transaction (which commands may
 *       run one, the LSN it reads at, the {@code atClusterTime} it answers).</li>
 * </ul>
 *
 * <p>Invariants. A record is written in the same WAL commit (one RocksDB batch) as the changes it describes, so
 * after a crash or restart either both exist or neither; a statement that changed nothing has its record
 * written on its own. A record holds only the newest {@code txnNumber} of its session. Records of sessions idle
 * longer than the logical session timeout (30 minutes, as {@code hello} announces) are deleted when the data
 * directory is opened and by a sweep that runs at most once a minute; a retry after that is applied again, as
 * on mongod once a session has expired. On-disk key and value: docs/FORMATS.md ({@code txn/}).
 *
 * <p>Thread-safety: the catalog is thread-safe; a {@code RetryableWrite} belongs to the thread running its command.
 */
package dev.argon.engine.session;

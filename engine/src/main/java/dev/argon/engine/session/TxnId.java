package dev.argon.engine.session;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import java.util.Set;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The transaction id a retryable write carries: its logical session ({@code lsid}) and {@code txnNumber}.
 *
 * @param lsid the session id document as the client sent it ({@code {id: UUID}}, plus {@code uid} under auth)
 */
public record TxnId(BsonDocument lsid, long txnNumber) {
    /** The commands that accept a {@code txnNumber} outside a transaction, as on mongod. */
    public static final Set<String> RETRYABLE_COMMANDS = Set.of("delete", "findAndModify", "insert", "update");

    /**
     * The transaction id of a command, or null when it has no {@code txnNumber}. Refuses, as mongod does, a
     * {@code txnNumber} without a session (72 InvalidOptions) and one on a command that is not a retryable write
     * (50768 NotARetryableWriteCommand).
     */
    public static TxnId of(BsonDocument command, String commandName) {
        TxnId id = parse(command);
        if (id != null && !RETRYABLE_COMMANDS.contains(commandName)) {
            throw new ArgonException(MongoErrorCode.NOT_A_RETRYABLE_WRITE_COMMAND, "txnNumber may only be provided for "
                    + "multi-document transactions and retryable write commands. autocommit:false was not provided, and "
                    + commandName + " is not a retryable write command.");
        }
        return id;
    }

    /**
     * The transaction id of a command of a multi-document transaction: {@code lsid} and {@code txnNumber} are
     * required (72 InvalidOptions otherwise).
     */
    public static TxnId ofTransaction(BsonDocument command) {
        TxnId id = parse(command);
        if (id == null) {
            throw new ArgonException(MongoErrorCode.INVALID_OPTIONS,
                    "'autocommit' field requires a transaction number to also be specified");
        }
        return id;
    }

    private static TxnId parse(BsonDocument command) {
        BsonValue n = command.get("txnNumber");
        if (n == null) {
            return null;
        }
        if (!(n.isInt64() || n.isInt32())) {
            throw ArgonException.typeMismatch("BSON field 'OperationSessionInfo.txnNumber' is the wrong type '"
                    + CommandContext.typeName(n) + "', expected type 'long'");
        }
        long txnNumber = n.asNumber().longValue();
        if (txnNumber < 0) {
            throw ArgonException.badValue("txnNumber must be a non-negative number, got " + txnNumber);
        }
        BsonValue lsid = command.get("lsid");
        if (lsid == null) {
            throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "Transaction number requires a session ID to also be specified");
        }
        if (!lsid.isDocument() || !lsid.asDocument().isBinary("id")) {
            throw ArgonException.typeMismatch("BSON field 'OperationSessionInfo.lsid' must be a document with a UUID 'id'");
        }
        return new TxnId(lsid.asDocument(), txnNumber);
    }

    /** The session id as mongod prints it in messages: the UUID. */
    public String sessionText() {
        return sessionText(lsid.get("id"));
    }

    /** A session id ({@code lsid.id}) as mongod prints it in messages: a 16-byte binary as a UUID. */
    public static String sessionText(BsonValue id) {
        if (id instanceof BsonBinary b && b.getData().length == 16) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(b.getData());
            return new java.util.UUID(bytes.getLong(), bytes.getLong()).toString();
        }
        return String.valueOf(id);
    }
}

package dev.argon.engine.failpoint;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.Map;

/**
 * An error a fail point raises on purpose, with whatever code its data names ({@code failCommand}'s
 * {@code errorCode}, {@code failGetMoreAfterCursorCheckout}'s): tests ask for codes such as 10107
 * NotWritablePrimary that Argon itself never raises, so the code is a number here, not a {@link MongoErrorCode}.
 * Its {@link #error()} is {@link MongoErrorCode#INTERNAL_ERROR}, so code that tells errors apart by kind treats it
 * as an unexpected failure. Immutable.
 */
public final class FailPointError extends ArgonException {
    /** Names of the codes the drivers' tests set that Argon's own table does not have (from MongoDB's error_codes.yml). */
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(6, "HostUnreachable"), Map.entry(7, "HostNotFound"), Map.entry(51, "ManualInterventionRequired"),
            Map.entry(63, "StaleShardVersion"), Map.entry(64, "WriteConcernFailed"), Map.entry(89, "NetworkTimeout"),
            Map.entry(133, "FailedToSatisfyReadPreference"), Map.entry(134, "ReadConcernMajorityNotAvailableYet"),
            Map.entry(150, "StaleEpoch"), Map.entry(189, "PrimarySteppedDown"), Map.entry(216, "ElectionInProgress"),
            Map.entry(234, "RetryChangeStream"), Map.entry(246, "SnapshotUnavailable"),
            Map.entry(262, "ExceededTimeLimit"), Map.entry(267, "PreparedTransactionInProgress"),
            Map.entry(280, "ChangeStreamFatalError"), Map.entry(359, "CursorInUse"),
            Map.entry(9001, "SocketException"), Map.entry(11601, "Interrupted"),
            Map.entry(11602, "InterruptedDueToReplStateChange"), Map.entry(13435, "NotPrimaryNoSecondaryOk"),
            Map.entry(13436, "NotPrimaryOrSecondary"), Map.entry(40573, "Location40573"));

    private final int code;
    private final String codeName;

    FailPointError(int code, String message) {
        super(MongoErrorCode.INTERNAL_ERROR, message);
        this.code = code;
        MongoErrorCode known = MongoErrorCode.byCode(code);
        this.codeName = known != null ? known.codeName() : NAMES.getOrDefault(code, "Location" + code);
    }

    @Override
    public int code() {
        return code;
    }

    @Override
    public String codeName() {
        return codeName;
    }
}

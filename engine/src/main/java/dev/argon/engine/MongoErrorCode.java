package dev.argon.engine;

/**
 * MongoDB's server error codes with their own code names, as drivers expect them in
 * {@code {ok: 0, errmsg, code, codeName}}. Only codes Argon actually raises are listed.
 */
public enum MongoErrorCode {
    INTERNAL_ERROR(1, "InternalError"),
    BAD_VALUE(2, "BadValue"),
    NO_SUCH_KEY(4, "NoSuchKey"),
    GRAPH_CONTAINS_CYCLE(5, "GraphContainsCycle"),
    FAILED_TO_PARSE(9, "FailedToParse"),
    USER_NOT_FOUND(11, "UserNotFound"),
    UNAUTHORIZED(13, "Unauthorized"),
    TYPE_MISMATCH(14, "TypeMismatch"),
    AUTHENTICATION_FAILED(18, "AuthenticationFailed"),
    ILLEGAL_OPERATION(20, "IllegalOperation"),
    EMPTY_ARRAY_OPERATION(21, "EmptyArrayOperation"),
    INVALID_BSON(22, "InvalidBSON"),
    LOCK_TIMEOUT(24, "LockTimeout"),
    NAMESPACE_NOT_FOUND(26, "NamespaceNotFound"),
    INDEX_NOT_FOUND(27, "IndexNotFound"),
    PATH_NOT_VIABLE(28, "PathNotViable"),
    CONFLICTING_UPDATE_OPERATORS(40, "ConflictingUpdateOperators"),
    CURSOR_NOT_FOUND(43, "CursorNotFound"),
    NAMESPACE_EXISTS(48, "NamespaceExists"),
    DOLLAR_PREFIXED_FIELD_NAME(52, "DollarPrefixedFieldName"),
    INVALID_ID_FIELD(53, "InvalidIdField"),
    NOT_SINGLE_VALUE_FIELD(54, "NotSingleValueField"),
    EMPTY_FIELD_NAME(56, "EmptyFieldName"),
    COMMAND_NOT_FOUND(59, "CommandNotFound"),
    IMMUTABLE_FIELD(66, "ImmutableField"),
    CANNOT_CREATE_INDEX(67, "CannotCreateIndex"),
    INDEX_ALREADY_EXISTS(68, "IndexAlreadyExists"),
    INVALID_OPTIONS(72, "InvalidOptions"),
    INVALID_NAMESPACE(73, "InvalidNamespace"),
    INDEX_OPTIONS_CONFLICT(85, "IndexOptionsConflict"),
    INDEX_KEY_SPECS_CONFLICT(86, "IndexKeySpecsConflict"),
    NO_SUCH_TRANSACTION(251, "NoSuchTransaction"),
    WRITE_CONFLICT(112, "WriteConflict"),
    COMMAND_NOT_SUPPORTED(115, "CommandNotSupported"),
    DOCUMENT_VALIDATION_FAILURE(121, "DocumentValidationFailure"),
    NOT_IMPLEMENTED(238, "NotImplemented"),
    INVALID_UUID(207, "InvalidUUID"),
    BRANCH_NOT_FOUND(26, "NamespaceNotFound"),
    BSON_OBJECT_TOO_LARGE(10334, "BSONObjectTooLarge"),
    DUPLICATE_KEY(11000, "DuplicateKey"),
    INVALID_PIPELINE_OPERATOR(168, "InvalidPipelineOperator"),
    LOCATION_15998(15998, "Location15998"),
    LOCATION_16410(16410, "Location16410"),
    LOCATION_40352(40352, "Location40352"),
    LOCATION_31254(31254, "Location31254"),
    LOCATION_40324(40324, "Location40324"),
    QUERY_FEATURE_NOT_ALLOWED(224, "QueryFeatureNotAllowed"),
    OPERATION_FAILED(96, "OperationFailed"),
    NOT_WRITABLE_PRIMARY(10107, "NotWritablePrimary"),
    MAX_TIME_MS_EXPIRED(50, "MaxTimeMSExpired"),
    INVALID_LENGTH(16, "InvalidLength"),
    PROTOCOL_ERROR(17, "ProtocolError"),
    UNKNOWN_ERROR(8, "UnknownError");

    private final int code;
    private final String codeName;

    MongoErrorCode(int code, String codeName) {
        this.code = code;
        this.codeName = codeName;
    }

    public int code() {
        return code;
    }

    public String codeName() {
        return codeName;
    }
}

package dev.argon.wal;

import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * One physical change to one document (or one catalog object): the namespace, the operation, the
 * {@code _id}, the full pre- and post-images (null where absent) and the versioned keys it writes. Each entry
 * gets its own LSN.
 *
 * @param op {@link #INSERT}, {@link #UPDATE}, {@link #DELETE} or {@link #CATALOG}
 */
public record LogEntry(String ns, String op, BsonValue id, BsonDocument pre, BsonDocument post, List<KeyWrite> writes) {
    public static final String INSERT = "i";
    public static final String UPDATE = "u";
    public static final String DELETE = "d";
    public static final String CATALOG = "c";
}

package dev.argon.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

class UnavailableTest {
    private static MongoCommandException reply(int code, String name) {
        return new MongoCommandException(new BsonDocument("ok", new BsonInt32(0)).append("code", new BsonInt32(code))
                .append("codeName", new BsonString(name)).append("errmsg", new BsonString("no")), new ServerAddress());
    }

    @Test
    void commandNotFoundAndNotImplementedSkipOtherErrorsDoNot() {
        assertTrue(Unavailable.is(reply(59, "CommandNotFound")));
        assertTrue(Unavailable.is(reply(238, "NotImplemented")));
        assertFalse(Unavailable.is(reply(26, "NamespaceNotFound")));
        assertFalse(Unavailable.is(new IllegalStateException("boom")));
        assertEquals("diff not available on this server (CommandNotFound, code 59)", Unavailable.note("diff", reply(59, "CommandNotFound")));
    }
}

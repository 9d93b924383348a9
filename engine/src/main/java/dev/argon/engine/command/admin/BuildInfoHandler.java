package dev.argon.engine.command.admin;

import dev.argon.engine.Engine;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

/** {@code buildInfo}: the MongoDB version Argon is compatible with, plus Argon's own under {@code argon}. */
public final class BuildInfoHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String[] parts = Engine.MONGO_VERSION.split("\\.");
        BsonArray versionArray = new BsonArray();
        for (String p : parts) {
            versionArray.add(new BsonInt32(Integer.parseInt(p)));
        }
        versionArray.add(new BsonInt32(0));
        return new BsonDocument("version", new BsonString(Engine.MONGO_VERSION))
                .append("gitVersion", new BsonString("argon-" + Engine.VERSION))
                .append("versionArray", versionArray)
                .append("modules", new BsonArray(List.of()))
                .append("allocator", new BsonString("system"))
                .append("javascriptEngine", new BsonString("none"))
                .append("sysInfo", new BsonString("deprecated"))
                .append("bits", new BsonInt32(64))
                .append("debug", BsonBoolean.FALSE)
                .append("maxBsonObjectSize", new BsonInt32(16 * 1024 * 1024))
                .append("storageEngines", new BsonArray(List.of(new BsonString("argon"))))
                .append("argon", new BsonDocument("version", new BsonString(Engine.VERSION)));
    }
}

package dev.argon.proxy.it;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The same insert/find/update/delete/aggregate round with the Node.js driver, mongosh and pymongo. */
class CrossDriverIT extends ArgonTestBase {

    @Test
    void nodeDriver() throws Exception {
        ExternalClient.require(ExternalClient.nodeDriverPresent(), "the Node.js driver (npm package mongodb)");
        String out = ExternalClient.run(List.of("node", "smoke.js", uri(), "xnode"));
        ExternalClient.assertOk(out, "node");
    }

    @Test
    void nodeDriverSelectsBranchesAndTimeTravelByConnectionString() throws Exception {
        ExternalClient.require(ExternalClient.nodeDriverPresent(), "the Node.js driver (npm package mongodb)");
        db("shopx").getCollection("items").insertOne(new org.bson.Document("_id", 1).append("qty", 1));
        long lsn = db("admin").runCommand(new org.bson.Document("argonStatus", 1)).getLong("headLsn");
        db("shopx").getCollection("items").insertOne(new org.bson.Document("_id", 2).append("qty", 2));
        db("admin").runCommand(new org.bson.Document("createBranch", "nodebr"));
        String base = "mongodb://127.0.0.1:" + server.port();
        String out = ExternalClient.run(List.of("node", "branches.js", base, Long.toString(lsn)));
        ExternalClient.assertOk(out, "node-branches");
    }

    @Test
    void mongosh() throws Exception {
        ExternalClient.require(ExternalClient.mongoshPresent(), "mongosh (npm package mongosh)");
        String out = ExternalClient.run(List.of(ExternalClient.NODE_MODULES.resolve(".bin/mongosh").toString(), "--quiet", "--norc",
                uri() + "xmongosh", "--file", "smoke.mongosh.js"));
        ExternalClient.assertOk(out, "mongosh");
    }

    @Test
    void pymongo() throws Exception {
        ExternalClient.require(ExternalClient.pymongoPresent(), "pymongo (Debian package python3-pymongo)");
        String out = ExternalClient.run(List.of("/usr/bin/python3", "smoke.py", uri(), "xpy"));
        ExternalClient.assertOk(out, "pymongo");
    }

    @Test
    void mongoshExplainShowsTheIndexScan() throws Exception {
        ExternalClient.require(ExternalClient.mongoshPresent(), "mongosh (npm package mongosh)");
        String out = ExternalClient.run(List.of(ExternalClient.NODE_MODULES.resolve(".bin/mongosh").toString(), "--quiet", "--norc",
                uri() + "xexplainsh", "--file", "explain.mongosh.js"));
        ExternalClient.assertOk(out, "mongosh-explain");
    }

    @Test
    void pymongoExplainShowsTheIndexScan() throws Exception {
        ExternalClient.require(ExternalClient.pymongoPresent(), "pymongo (Debian package python3-pymongo)");
        String out = ExternalClient.run(List.of("/usr/bin/python3", "explain.py", uri(), "xexplainpy"));
        ExternalClient.assertOk(out, "pymongo-explain");
    }
}

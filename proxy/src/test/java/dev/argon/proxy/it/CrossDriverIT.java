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
}

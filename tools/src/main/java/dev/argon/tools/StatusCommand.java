package dev.argon.tools;

import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code argon status}: what {@code argonStatus} reports. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the server's head LSN, last commit and counts.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        Document r = client.admin(new Document("argonStatus", 1));
        r.remove("ok");
        if (client.json) {
            Output.json(System.out, r);
        } else {
            Output.table(System.out, List.of("VERSION", "HEAD LSN", "LAST COMMIT", "BRANCHES", "TAGS"),
                    List.of(List.of(Output.str(r.get("version")), Output.str(r.get("headLsn")), Output.str(r.get("lastCommitTime")),
                            Output.str(r.get("branches")), Output.str(r.get("tags")))));
        }
        return 0;
    }
}

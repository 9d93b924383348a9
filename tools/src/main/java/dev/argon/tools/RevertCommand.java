package dev.argon.tools;

import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code argon revert BRANCH (--lsn N | --from-lsn A --to-lsn B | --actor NAME) [-m MESSAGE]}. */
@Command(name = "revert", mixinStandardHelpOptions = true, description = "Append the inverse of a commit, an LSN range, or one actor's writes.")
public final class RevertCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "branch")
    String branch;

    @Option(names = "--lsn", description = "the commit to revert (named by its highest LSN, as argon log shows)")
    Long lsn;

    @Option(names = "--from-lsn", description = "first LSN of a range (inclusive)")
    Long fromLsn;

    @Option(names = "--to-lsn", description = "last LSN of a range (inclusive)")
    Long toLsn;

    @Option(names = "--actor", description = "revert every commit of this actor (within the range, if given)")
    String actor;

    @Option(names = {"-m", "--message"}, description = "commit message")
    String message;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        Document cmd = new Document("revert", branch);
        if (lsn != null) {
            cmd.append("lsn", lsn);
        }
        if (fromLsn != null) {
            cmd.append("fromLsn", fromLsn);
        }
        if (toLsn != null) {
            cmd.append("toLsn", toLsn);
        }
        if (actor != null) {
            cmd.append("actor", actor);
        }
        if (message != null) {
            cmd.append("comment", message);
        }
        Document r = client.admin(cmd);
        if (client.json) {
            r.remove("ok");
            Output.json(System.out, r);
            return 0;
        }
        System.out.println("reverted " + r.get("reverted") + " document change(s) from " + r.get("commits") + " commit(s); head is now lsn " + r.get("headLsn"));
        for (Document c : r.getList("conflicts", Document.class)) {
            System.out.println(Style.red("conflict") + " " + c.getString("ns") + " " + Output.json(c.get("id"))
                    + " changed since lsn " + c.get("lsn") + "; left as is");
        }
        return r.getList("conflicts", Document.class).isEmpty() ? 0 : 4;
    }
}

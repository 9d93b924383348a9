package dev.argon.tools;

import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code argon reset BRANCH --to LSN|TIME|REF [--backup NAME]}. */
@Command(name = "reset", mixinStandardHelpOptions = true, description = "Move a branch head back; the abandoned range stays in the log for audit.")
public final class ResetCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "branch to reset")
    String branch;

    @Option(names = "--to", required = true, description = "an LSN, an ISO-8601 UTC time, or a ref (tag, NAME@LSN)")
    String to;

    @Option(names = "--backup", description = "first keep the current head as a new branch of this name")
    String backup;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        Object point = to.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(to)
                : to.matches("\\d{4}-\\d\\d-\\d\\dT.*") ? java.util.Date.from(java.time.Instant.parse(to)) : to;
        Document cmd = new Document("resetBranch", branch).append("to", point);
        if (backup != null) {
            cmd.append("backup", backup);
        }
        Document r = client.admin(cmd);
        if (client.json) {
            r.remove("ok");
            Output.json(System.out, r);
            return 0;
        }
        Document ab = r.get("abandoned", Document.class);
        System.out.println("reset " + branch + " to lsn " + r.get("headLsn") + "; abandoned " + ab.get("commits") + " commit(s), lsn "
                + ab.get("fromLsn") + ".." + ab.get("toLsn") + " (kept in the log" + (backup != null ? ", and on branch " + backup : "") + ")");
        return 0;
    }
}

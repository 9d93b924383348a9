package dev.argon.tools;

import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code argon compact [--hot-window D]}: one history compaction pass on the running server ({@code compactHistory}
 * admin command): versions older than the hot window that no head, fork point or tag reads move into the tier's
 * segments under the server's {@code <data>/objects}; every read answers as before.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Move history older than the hot window (default: the server's --hot-window) out of RocksDB into "
                + "segments under <data>/objects; every read, time travel included, answers as before.")
public final class CompactCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--hot-window", description = "history younger than this stays local for this pass, e.g. 0, 30m, 1h "
            + "(default: the server's --hot-window)")
    String hotWindow;

    @Option(names = "--merge", description = "then merge the tier's small segments into larger ones and rewrite sparse "
            + "ones without what GC left unreachable (reads every segment); the replaced objects stay until the tier's GC")
    boolean merge;

    @Override
    public Integer call() {
        Document cmd = new Document("compactHistory", 1);
        if (hotWindow != null) {
            cmd.append("hotWindowSeconds", Durations.millis("--hot-window", hotWindow) / 1000.0);
        }
        if (merge) {
            cmd.append("mergeSegments", true);
        }
        Document r = client.admin(cmd);
        r.remove("ok");
        if (client.json) {
            Output.json(System.out, r);
            return 0;
        }
        Output.table(System.out, List.of("CUTOFF LSN", "VERSIONS MOVED", "BYTES", "STUBS", "SEGMENTS", "SEGMENT BYTES", "TOTAL SEGMENTS"),
                List.of(List.of(Output.str(r.get("cutoffLsn")), Output.str(r.get("versions")), Output.str(r.get("bytes")),
                        Output.str(r.get("stubs")), Output.str(r.get("segments")), Output.str(r.get("segmentBytes")),
                        Output.str(r.get("totalSegments")))));
        printMerge(r);
        return 0;
    }

    /** The line for a reply's {@code merge} sub-document (a segment rewrite pass), if any; shared with {@code argon gc}. */
    static void printMerge(Document r) {
        Object m = r.get("merge");
        if (m instanceof Document d) {
            System.out.printf("merged %s tier segment(s), %s bytes, into %s, %s bytes; %s entries dropped; %s segment(s) in the tier%n",
                    Output.str(d.get("segmentsMerged")), Output.str(d.get("bytesBefore")), Output.str(d.get("segmentsWritten")),
                    Output.str(d.get("bytesAfter")), Output.str(d.get("entriesDropped")), Output.str(d.get("totalSegments")));
        }
    }
}

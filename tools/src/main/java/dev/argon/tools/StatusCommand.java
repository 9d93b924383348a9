package dev.argon.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code argon status}: what {@code argonStatus} reports, then the storage figures of {@code argonStorage}
 * (bytes in RocksDB, in the local object folder and in the bucket, the compression ratio, per-branch unique bytes).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the server's head LSN, last commit and counts, and where its bytes are.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--flush", description = "flush RocksDB's memtables first, so that the compression ratio describes compressed files")
    boolean flush;

    @Option(names = "--no-storage", description = "skip the storage figures (they scan every stored version)")
    boolean noStorage;

    @Override
    public Integer call() {
        Document r = client.admin(new Document("argonStatus", 1));
        r.remove("ok");
        Document s = null;
        if (!noStorage) {
            s = client.admin(new Document("argonStorage", 1).append("flush", flush));
            s.remove("ok");
        }
        if (client.json) {
            if (s != null) {
                r.append("storageUsage", s);
            }
            Output.json(System.out, r);
            return 0;
        }
        Output.table(System.out, List.of("VERSION", "HEAD LSN", "LAST COMMIT", "BRANCHES", "TAGS"),
                List.of(List.of(Output.str(r.get("version")), Output.str(r.get("headLsn")), Output.str(r.get("lastCommitTime")),
                        Output.str(r.get("branches")), Output.str(r.get("tags")))));
        if (s != null) {
            Document versions = s.get("versions", Document.class);
            Document bucket = s.get("bucket", Document.class);
            System.out.println();
            Output.table(System.out, List.of("ROCKSDB", "ON DISK", "LOCAL OBJECTS", "BUCKET", "RAW VERSIONS", "COMPRESSION"),
                    List.of(List.of(bytes(s.get("rocksdb", Document.class).get("bytes")),
                            bytes(s.get("rocksdb", Document.class).get("fileBytes")),
                            bytes(s.get("localObjects", Document.class).get("bytes")),
                            Boolean.TRUE.equals(bucket.getBoolean("configured")) ? bytes(bucket.get("bytes")) : "none",
                            bytes(versions.get("rawBytes")),
                            String.format("%.2fx", versions.get("compressionRatio", Number.class).doubleValue()))));
            Document tier = s.get("tier", Document.class);
            if (tier != null) {
                Document cache = tier.get("cache", Document.class);
                Document last = tier.get("lastPass", Document.class);
                System.out.println();
                Output.table(System.out, List.of("TIER", "SEGMENTS", "IN STORE", "CACHE", "STUBS", "CUTOFF LSN", "LAST PASS"),
                        List.of(List.of(tier.getString("location").equals("local") ? "<data>/objects" : tier.getString("location"),
                                Output.str(tier.get("segments")), bytes(tier.get("storeBytes")),
                                bytes(cache.get("bytes")) + " of " + bytes(cache.get("limit")),
                                Output.str(tier.get("stubs")), Output.str(tier.get("cutoffLsn")),
                                last == null ? "none since start" : Output.str(last.get("at")) + " (" + Output.str(last.get("versions"))
                                        + " versions moved)")));
            }
            List<List<String>> rows = new ArrayList<>();
            for (Document b : s.getList("branches", Document.class)) {
                rows.add(List.of(b.getString("name"), Output.str(b.get("versions")), bytes(b.get("bytes")), bytes(b.get("uniqueBytes"))));
            }
            System.out.println();
            Output.table(System.out, List.of("BRANCH", "VERSIONS", "BYTES", "UNIQUE BYTES"), rows);
        }
        return 0;
    }

    /** 1234567 → "1.2 MB": decimal units, as disk sizes are usually given. */
    static String bytes(Object v) {
        long n = v instanceof Number num ? num.longValue() : 0;
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double d = n;
        int u = -1;
        while (d >= 1000 && u < units.length - 1) {
            d /= 1000;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", d, units[u]);
    }
}

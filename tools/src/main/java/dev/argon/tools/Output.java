package dev.argon.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/** Tables for people, relaxed Extended JSON for scripts. */
final class Output {
    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build();

    private Output() {}

    static void json(PrintStream out, Document d) {
        out.println(d.toJson(JSON));
    }

    /** Prints rows under headers, columns padded to their widest cell. */
    static void table(PrintStream out, List<String> headers, List<List<String>> rows) {
        int[] w = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> r : all) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        for (int k = 0; k < all.size(); k++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                String cell = all.get(k).get(i);
                sb.append(cell);
                if (i < w.length - 1) {
                    sb.append(" ".repeat(w[i] - cell.length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    /** One value as compact relaxed JSON (ids, documents). */
    static String json(Object v) {
        if (v == null) {
            return "null";
        }
        String wrapped = new Document("v", v).toJson(JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build());
        return wrapped.substring(wrapped.indexOf(':') + 1, wrapped.length() - 1).trim();
    }

    static String str(Object o) {
        if (o == null) {
            return "-";
        }
        if (o instanceof java.util.Date d) {
            return d.toInstant().toString();
        }
        return String.valueOf(o);
    }

    /**
     * A table printed while its rows arrive: column widths come from the headers and the first rows, and later
     * rows reuse them (a longer cell just pushes its line wider). Not thread-safe.
     */
    static final class StreamTable {
        private final PrintStream out;
        private final List<String> headers;
        private int[] widths;

        StreamTable(PrintStream out, List<String> headers) {
            this.out = out;
            this.headers = headers;
        }

        void print(List<List<String>> rows) {
            if (widths == null) {
                widths = new int[headers.size()];
                measure(headers);
                rows.forEach(this::measure);
                line(headers);
            }
            rows.forEach(this::line);
        }

        private void measure(List<String> row) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }

        private void line(List<String> row) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = row.get(i);
                sb.append(cell);
                if (i < widths.length - 1) {
                    sb.append(" ".repeat(Math.max(0, widths[i] - cell.length()) + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    /**
     * One JSON document printed while its array field arrives: {@code {<head fields>, "<field>": [ ... ]}},
     * valid JSON once {@link #close} has run. Not thread-safe.
     */
    static final class JsonStream implements AutoCloseable {
        private final PrintStream out;
        private boolean any;

        JsonStream(PrintStream out, Document head, String field) {
            this.out = out;
            String h = head.toJson(JSON);
            String open = h.substring(0, h.lastIndexOf('}')).stripTrailing();
            out.print(open + (head.isEmpty() ? "\n" : ",\n") + "  \"" + field + "\": [");
        }

        void add(Document d) {
            out.print((any ? ",\n" : "\n") + d.toJson(JSON).indent(4).stripTrailing());
            any = true;
        }

        @Override
        public void close() {
            out.println((any ? "\n  " : "") + "]\n}");
        }
    }
}

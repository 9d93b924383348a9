package dev.argon.bench.harness;

import com.mongodb.ConnectionString;

/** A server someone else runs, named by its connection string; closing it does nothing to the server. Immutable. */
final class UriTarget implements Target {
    private final String uri;

    UriTarget(String uri) {
        this.uri = uri;
    }

    @Override
    public String name() {
        // The host list, without credentials, is what tells two runs apart in a report.
        return String.join(",", new ConnectionString(uri).getHosts());
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}

package dev.argon.engine.spill;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One command's memory budget for blocking stages, the run files it wrote and the scans its stages opened.
 * Closing it closes every open run reader and scan and deletes the files; the command's cursor closes it when exhausted, killed, timed out or failed.
 * Not thread-safe: used by one command, then under its cursor's lock.
 */
public final class Spill implements AutoCloseable {
    private static final Spill IN_MEMORY = new Spill(null, Long.MAX_VALUE, Long.MAX_VALUE);

    private final Path folder;
    private final long sortLimitBytes;
    private final long groupLimitBytes;
    private final StageLimits stageLimits;
    private final String prefix = UUID.randomUUID().toString();
    private final List<Path> files = new ArrayList<>();
    /** By identity: a scan is released (closed early) by the stage that opened it, one per input document. */
    private final java.util.Set<AutoCloseable> open = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private int spills;
    private long spilledBytes;
    private boolean closed;

    Spill(Path folder, long sortLimitBytes, long groupLimitBytes) {
        this(folder, sortLimitBytes, groupLimitBytes, StageLimits.NONE);
    }

    Spill(Path folder, long sortLimitBytes, long groupLimitBytes, StageLimits stageLimits) {
        this.folder = folder;
        this.sortLimitBytes = sortLimitBytes;
        this.groupLimitBytes = groupLimitBytes;
        this.stageLimits = stageLimits;
    }

    /**
     * No limit and no disk: for the internal reads that are not a user's query (an update pipeline over one
     * document, a {@code findAndModify} sort); shared, it never holds files.
     */
    public static Spill inMemory() {
        return IN_MEMORY;
    }

    public long sortLimitBytes() {
        return sortLimitBytes;
    }

    public long groupLimitBytes() {
        return groupLimitBytes;
    }

    /** The limits of what the command's stages build and cannot spill ($push arrays, $lookup matches, ...). */
    public StageLimits stageLimits() {
        return stageLimits;
    }

    public boolean allowsDisk() {
        return folder != null;
    }

    /** How many runs this command wrote (explain's {@code spills}). */
    public int spills() {
        return spills;
    }

    public long spilledBytes() {
        return spilledBytes;
    }

    /** 292 for a sort past its limit without disk use, with mongod's message. */
    public ArgonException sortRefused() {
        return new ArgonException(MongoErrorCode.QUERY_EXCEEDED_MEMORY_LIMIT_NO_DISK_USE_ALLOWED, "Sort exceeded memory limit of "
                + sortLimitBytes + " bytes, but did not opt in to external sorting. Aborting operation. Pass allowDiskUse:true to opt in.");
    }

    /** 292 for a $group past its limit without disk use, with mongod's message. */
    public ArgonException groupRefused() {
        return new ArgonException(MongoErrorCode.QUERY_EXCEEDED_MEMORY_LIMIT_NO_DISK_USE_ALLOWED,
                "Exceeded memory limit for $group, but didn't allow external sort. Pass allowDiskUse:true to opt in.");
    }

    /** 292 for another stage that holds documents and cannot spill (named in the message). */
    public ArgonException stageRefused(String stage, long limitBytes) {
        return new ArgonException(MongoErrorCode.QUERY_EXCEEDED_MEMORY_LIMIT_NO_DISK_USE_ALLOWED, stage
                + " exceeded its memory limit of " + limitBytes + " bytes and cannot spill to disk in Argon");
    }

    /** A new empty run file in the temporary folder, deleted when this is closed. */
    RunFile.Writer newRun() {
        if (closed) {
            throw new IllegalStateException("spill closed");
        }
        if (folder == null) {
            throw new IllegalStateException("no disk use allowed");
        }
        try {
            Files.createDirectories(folder);
            // Named by the count of runs ever written, not by the files still listed: merged runs are deleted, so
            // the list shrinks, and a name from its size could overwrite a run that is still being read.
            Path p = folder.resolve(prefix + "-" + spills + ".run");
            files.add(p);
            spills++;
            return new RunFile.Writer(p, this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a spill file in " + folder, e);
        }
    }

    void delete(Path p) {
        try {
            Files.deleteIfExists(p);
            files.remove(p);
        } catch (IOException ignored) {
            // stays listed: close tries again
        }
    }

    void wrote(long bytes) {
        spilledBytes += bytes;
    }

    /**
     * Something a stage opened for this command (a streamed scan of another collection) to close with it, if it is
     * still open then: a killed cursor frees it. Ignored by {@link #inMemory()}, which is never closed.
     */
    public void closeWith(AutoCloseable resource) {
        if (this != IN_MEMORY) {
            open.add(resource);
        }
    }

    /**
     * Forgets a resource given to {@link #closeWith} that its stage closed itself: a $lookup that scans the foreign
     * collection once per input document must not keep one entry per document until the command ends.
     */
    public void release(AutoCloseable resource) {
        open.remove(resource);
    }

    /** A reader to close with this, if it is still open then. */
    void opened(AutoCloseable reader) {
        open.add(reader);
    }

    @Override
    public void close() {
        if (closed || this == IN_MEMORY) {
            return;
        }
        closed = true;
        for (AutoCloseable r : open) {
            try {
                r.close();
            } catch (Exception ignored) {
                // the file is deleted below either way
            }
        }
        open.clear();
        for (Path p : files) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // what is left is deleted at the next start (SpillSettings.forDataDirectory)
            }
        }
        files.clear();
    }
}

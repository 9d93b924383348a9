package dev.argon.engine.spill;

import dev.argon.engine.ArgonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The server-wide memory limits of blocking stages and where they spill. The limits are mongod's parameters of
 * the same names ({@code internalQueryMaxBlockingSortMemoryUsageBytes}, {@code internalDocumentSourceGroupMaxMemoryBytes},
 * both 100 MiB, and {@code allowDiskUseByDefault}, true) and those of what stages build without spilling
 * ({@link StageLimits}), changed at runtime with {@code setParameter} (tests set a
 * small limit instead of building 100 MB). Thread-safe: a command reads the values once, when it starts.
 */
public final class SpillSettings {
    /** mongod's default for both limits. */
    public static final long DEFAULT_LIMIT_BYTES = 100L * 1024 * 1024;
    /** The folder's name inside the data directory, as mongod's {@code <dbpath>/_tmp}. */
    public static final String FOLDER = "_tmp";

    private final Path folder;
    private volatile long sortLimitBytes = DEFAULT_LIMIT_BYTES;
    private volatile long groupLimitBytes = DEFAULT_LIMIT_BYTES;
    private volatile boolean allowDiskUseByDefault = true;
    private volatile long pushLimitBytes = DEFAULT_LIMIT_BYTES;
    private volatile long addToSetLimitBytes = DEFAULT_LIMIT_BYTES;
    private volatile long lookupResultLimitBytes = DEFAULT_LIMIT_BYTES;
    private volatile long facetOutputLimitBytes = DEFAULT_LIMIT_BYTES;
    private volatile long lookupHashLimitBytes = DEFAULT_LIMIT_BYTES;

    /** @param folder where runs are written; null: nowhere (a stage past its limit always fails with 292) */
    public SpillSettings(Path folder) {
        this.folder = folder;
    }

    /** Settings for the data directory; deletes files a previous process left in its temporary folder. */
    public static SpillSettings forDataDirectory(Path dataDir) {
        SpillSettings s = new SpillSettings(dataDir.resolve(FOLDER));
        s.deleteLeftovers();
        return s;
    }

    public Path folder() {
        return folder;
    }

    public long sortLimitBytes() {
        return sortLimitBytes;
    }

    public void sortLimitBytes(long bytes) {
        this.sortLimitBytes = positive("internalQueryMaxBlockingSortMemoryUsageBytes", bytes);
    }

    public long groupLimitBytes() {
        return groupLimitBytes;
    }

    public void groupLimitBytes(long bytes) {
        this.groupLimitBytes = positive("internalDocumentSourceGroupMaxMemoryBytes", bytes);
    }

    /** {@code internalQueryMaxPushBytes}: one {@code $push} array. */
    public long pushLimitBytes() {
        return pushLimitBytes;
    }

    public void pushLimitBytes(long bytes) {
        this.pushLimitBytes = positive("internalQueryMaxPushBytes", bytes);
    }

    /** {@code internalQueryMaxAddToSetBytes}: one {@code $addToSet} set. */
    public long addToSetLimitBytes() {
        return addToSetLimitBytes;
    }

    public void addToSetLimitBytes(long bytes) {
        this.addToSetLimitBytes = positive("internalQueryMaxAddToSetBytes", bytes);
    }

    /** {@code internalLookupStageIntermediateDocumentMaxSizeBytes}: one {@code $lookup}'s matches of one document. */
    public long lookupResultLimitBytes() {
        return lookupResultLimitBytes;
    }

    public void lookupResultLimitBytes(long bytes) {
        this.lookupResultLimitBytes = positive("internalLookupStageIntermediateDocumentMaxSizeBytes", bytes);
    }

    /** {@code internalQueryFacetMaxOutputDocSizeBytes}: the document {@code $facet} builds. */
    public long facetOutputLimitBytes() {
        return facetOutputLimitBytes;
    }

    public void facetOutputLimitBytes(long bytes) {
        this.facetOutputLimitBytes = positive("internalQueryFacetMaxOutputDocSizeBytes", bytes);
    }

    /** {@code internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill}: a {@code $lookup}'s in-memory foreign table. */
    public long lookupHashLimitBytes() {
        return lookupHashLimitBytes;
    }

    public void lookupHashLimitBytes(long bytes) {
        this.lookupHashLimitBytes = positive("internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill", bytes);
    }

    public boolean allowDiskUseByDefault() {
        return allowDiskUseByDefault;
    }

    public void allowDiskUseByDefault(boolean allow) {
        this.allowDiskUseByDefault = allow;
    }

    /**
     * One command's budget: {@code allowDiskUse} as the command gave it, or null for the server default.
     * The limits are read now, so a {@code setParameter} during a query does not change it.
     */
    public Spill begin(Boolean allowDiskUse) {
        boolean disk = allowDiskUse == null ? allowDiskUseByDefault : allowDiskUse;
        return new Spill(disk && folder != null ? folder : null, sortLimitBytes, groupLimitBytes, new StageLimits(pushLimitBytes,
                addToSetLimitBytes, lookupResultLimitBytes, facetOutputLimitBytes, lookupHashLimitBytes));
    }

    /**
     * Deletes everything in the folder (at startup, when no query, backup or compaction can own it): spill runs,
     * compaction chunks and the folders of backups a killed process left.
     */
    void deleteLeftovers() {
        if (folder == null || !Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(folder)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the temporary folder " + folder, e);
        }
    }

    private static long positive(String name, long v) {
        if (v <= 0) {
            throw ArgonException.badValue(name + " must be greater than 0, not " + v);
        }
        return v;
    }
}

package dev.argon.engine.spill;

/**
 * The memory limits of what a query builds and cannot spill, in BSON bytes, as one command reads them when it
 * starts: a {@code $push} or {@code $addToSet} array ({@code internalQueryMaxPushBytes},
 * {@code internalQueryMaxAddToSetBytes}: 146 ExceededMemoryLimit past it), a {@code $lookup}'s array of matches
 * per input document ({@code internalLookupStageIntermediateDocumentMaxSizeBytes}: 4568), the document
 * {@code $facet} builds ({@code internalQueryFacetMaxOutputDocSizeBytes}: 4031700), and the foreign collection a
 * {@code $lookup} without a usable index may hold as a hash table ({@code internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill};
 * past it the lookup reads the foreign collection once per input document instead). All 100 MiB by default, as on
 * mongod. Immutable.
 */
public record StageLimits(long pushBytes, long addToSetBytes, long lookupResultBytes, long facetOutputBytes, long lookupHashBytes) {
    /** No limits: internal reads that are not a user's query. */
    public static final StageLimits NONE = new StageLimits(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
}

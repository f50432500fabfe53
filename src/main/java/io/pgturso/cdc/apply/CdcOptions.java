package io.pgturso.cdc.apply;

/**
 * How the cdc tables stream: their slot and publication ({@code sync.cdc.*}), and whether this process may wait as a
 * standby for another reader of the slot ({@code sync.cluster.enabled}, in {@code run}).
 */
public record CdcOptions(String slot, String publication, boolean standby) {
}

package io.pgturso.verify;

import io.pgturso.config.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Settings of {@code verify} and of hard-delete reconciliation ({@code sync.verify.*}, {@code sync.reconcile.*}).
 * The reconciliation's schedule and on/off switch are read by its route file.
 *
 * @param reconcileTables table names (route or target table) to reconcile; empty means every table ({@code *})
 */
public record VerifySettings(int verifyChunkSize, int verifyExamples, int reconcileChunkSize, int reconcileMaxChunks,
        List<String> reconcileTables) {

    /** Reads the settings; {@code property} looks up application.properties. */
    public static VerifySettings read(Function<String, Optional<String>> property) {
        String tables = property.apply("sync.reconcile.tables").orElse("*").trim();
        return new VerifySettings(positive(property, "sync.verify.chunk-size", 10_000),
                positive(property, "sync.verify.examples", 10),
                positive(property, "sync.reconcile.chunk-size", 10_000),
                positive(property, "sync.reconcile.max-chunks", 10),
                tables.equals("*") || tables.isEmpty() ? List.of()
                        : Arrays.stream(tables.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    private static int positive(Function<String, Optional<String>> property, String key, int fallback) {
        String value = property.apply(key).orElse("").trim();
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a positive whole number (got '" + value + "')");
        }
    }
}

package io.pgturso.config;

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
        SettingValues values = new SettingValues(property);
        String tables = values.text(Settings.RECONCILE_TABLES);
        return new VerifySettings(values.integer(Settings.VERIFY_CHUNK_SIZE), values.integer(Settings.VERIFY_EXAMPLES),
                values.integer(Settings.RECONCILE_CHUNK_SIZE), values.integer(Settings.RECONCILE_MAX_CHUNKS),
                tables.equals("*") || tables.isEmpty() ? List.of()
                        : Arrays.stream(tables.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
}

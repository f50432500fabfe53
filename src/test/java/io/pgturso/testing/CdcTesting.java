package io.pgturso.testing;

import static org.awaitility.Awaitility.await;

import io.pgturso.cdc.apply.CdcStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the tests of tables in cdc mode share: a slot of their own on the shared server, and waiting for the stream. */
public final class CdcTesting {
    private static final AtomicInteger SLOTS = new AtomicInteger();

    private CdcTesting() {
    }

    /** A slot (and publication) name no other test of this JVM or another uses. */
    public static String uniqueSlot() {
        return "cdc_" + ProcessHandle.current().pid() + "_" + SLOTS.incrementAndGet();
    }

    /** Gives the harness a slot and publication of its own. */
    public static SyncHarness streaming(SyncHarness sync, String slot) {
        return sync.property("sync.cdc.slot", slot).property("sync.cdc.publication", slot);
    }

    /** Starts run mode and waits until the stream reads the slot (the first copy done). */
    public static void startStreaming(SyncHarness sync) {
        sync.start(true);
        awaitReading(sync);
    }

    /** Waits until the running application reads the slot. */
    public static void awaitReading(SyncHarness sync) {
        await().atMost(Duration.ofSeconds(90)).until(() -> stream(sync).reading());
    }

    public static CdcStream stream(SyncHarness sync) {
        return (CdcStream) sync.app().camel().getRegistry().lookupByName("cdcStream");
    }

    /** Drops the slot once no one reads it (a test's own slot must not keep the shared server's WAL). */
    public static void dropSlot(JdbcTemplate pg, String slot) {
        await().atMost(Duration.ofSeconds(30)).until(() -> pg.queryForList("SELECT pg_drop_replication_slot(slot_name) FROM "
                + "pg_replication_slots WHERE slot_name = ? AND NOT active", slot).size() == 1
                || pg.queryForObject("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?", Long.class, slot) == 0);
    }
}

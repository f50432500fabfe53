package io.pgturso.sync;

import io.pgturso.testing.TestTarget;
import java.nio.file.Path;

/** The sync scenarios against a real libSQL server over HTTP (Turso's tursodb), through the project's Hrana driver. */
class TursoTargetSyncTest extends SyncScenarios {
    @Override
    TestTarget newTarget(Path dir) {
        return TestTarget.turso(dir);
    }
}

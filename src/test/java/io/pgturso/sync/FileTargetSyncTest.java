package io.pgturso.sync;

import io.pgturso.testing.TestTarget;
import java.nio.file.Path;

/** The sync scenarios against the embedded default target, a local libSQL/SQLite file. */
class FileTargetSyncTest extends SyncScenarios {
    @Override
    TestTarget newTarget(Path dir) {
        return TestTarget.file(dir);
    }
}

package io.pgturso.sync;

import io.pgturso.testing.TestTarget;
import java.nio.file.Path;

/** The sync scenarios against the spec-faithful libSQL test server (libsql-server's streams, limits and codes). */
class LibsqlServerTargetSyncTest extends SyncScenarios {
    @Override
    TestTarget newTarget(Path dir) {
        return TestTarget.libsqlServer(dir);
    }
}

package io.pgturso.sync;

import io.pgturso.testing.TestTarget;
import java.nio.file.Path;

/** Full mode against a local libSQL/SQLite file. */
class FileTargetFullModeTest extends FullModeScenarios {
    @Override
    TestTarget newTarget(Path dir) {
        return TestTarget.file(dir);
    }
}

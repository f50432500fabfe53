package io.pgturso.cdc.apply;

import io.pgturso.testing.TestTarget;
import java.nio.file.Path;

/** Cdc mode into a local libSQL/SQLite file. */
class FileTargetCdcTest extends CdcScenarios {
    @Override
    TestTarget newTarget(Path dir) {
        return TestTarget.file(dir);
    }
}

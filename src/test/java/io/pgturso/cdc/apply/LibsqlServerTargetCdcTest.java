package io.pgturso.cdc.apply;

import io.pgturso.testing.TestTarget;
import java.nio.file.Path;

/** Cdc mode into the project's spec-faithful libSQL test server, with its 2 MB request limit. */
class LibsqlServerTargetCdcTest extends CdcScenarios {
    @Override
    TestTarget newTarget(Path dir) {
        return TestTarget.libsqlServer(dir);
    }
}

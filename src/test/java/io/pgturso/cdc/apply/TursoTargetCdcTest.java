package io.pgturso.cdc.apply;

import io.pgturso.testing.TestTarget;
import java.nio.file.Path;

/** Cdc mode into Turso's own tursodb server. */
class TursoTargetCdcTest extends CdcScenarios {
    @Override
    TestTarget newTarget(Path dir) {
        return TestTarget.turso(dir);
    }
}

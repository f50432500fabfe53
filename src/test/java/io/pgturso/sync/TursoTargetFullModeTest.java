package io.pgturso.sync;

import io.pgturso.testing.TestTarget;
import java.nio.file.Path;

/** Full mode against Turso's own tursodb over HTTP, through the project's Hrana driver. */
class TursoTargetFullModeTest extends FullModeScenarios {
    @Override
    TestTarget newTarget(Path dir) {
        return TestTarget.turso(dir);
    }
}

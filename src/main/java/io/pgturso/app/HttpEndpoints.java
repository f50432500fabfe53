package io.pgturso.app;

import io.pgturso.config.SettingValues;
import io.pgturso.config.Settings;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.main.Main;

/** Turns on Camel's management HTTP server (health at /observe/health, Prometheus metrics at /observe/metrics) as sync.http.* say. */
final class HttpEndpoints {
    private HttpEndpoints() {
    }

    /** Reads sync.http.* from the properties file as read at start (Camel needs them before it reads the file itself). */
    static void configure(Main main, Properties file) {
        SettingValues values = new SettingValues(key -> Optional.ofNullable(file.getProperty(key)));
        if (!values.bool(Settings.HTTP_ENABLED)) {
            return;
        }
        main.addOverrideProperty("camel.management.enabled", "true");
        main.addOverrideProperty("camel.management.port", values.text(Settings.HTTP_PORT));
        main.addOverrideProperty("camel.management.health-check-enabled", "true");
        main.addOverrideProperty("camel.management.metrics-enabled", "true");
        main.addOverrideProperty("camel.metrics.enabled", "true");
        main.addOverrideProperty("camel.health.exposure-level", "full");
    }
}

package io.pgturso.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/** Connection settings from application.properties, overridden by the usual environment variables. */
public record ConnectionSettings(PostgresUrl source, int sourcePoolSize, TargetUrl target, String targetAuthToken,
        int targetPoolSize, boolean numericAsText) {

    /** Reads the settings; {@code property} looks up application.properties, {@code env} the environment. */
    public static ConnectionSettings read(Function<String, Optional<String>> property, Map<String, String> env, Path baseDir) {
        SettingValues values = new SettingValues(property);
        String sourceUrl = firstOf(env.get("DATABASE_URL"), values.text(Settings.SOURCE_URL));
        String user = firstOf(env.get("PGUSER"), values.text(Settings.SOURCE_USER));
        String password = firstOf(env.get("PGPASSWORD"), values.text(Settings.SOURCE_PASSWORD));
        // a URL naming {tenant} is the tenants' template: this target is then the control database
        String targetUrl = FanOutSettings.controlUrl(firstOf(env.get("TURSO_DATABASE_URL"), values.text(Settings.TARGET_URL)), property);
        String token = firstOf(env.get("TURSO_AUTH_TOKEN"), values.text(Settings.TARGET_AUTH_TOKEN));
        TargetUrl target = TargetUrl.parse(targetUrl, baseDir);
        return new ConnectionSettings(PostgresUrl.parse(sourceUrl, user, password), values.integer(Settings.SOURCE_POOL_SIZE),
                target, token == null || token.isBlank() ? null : token.trim(),
                values.integer(Settings.TARGET_POOL_SIZE), values.text(Settings.NUMERIC).equals("text"));
    }

    /** Login properties for one Postgres connection that gives up after {@code timeoutSeconds}. */
    public Properties sourceLogin(int timeoutSeconds) {
        Properties login = new Properties();
        if (source.user() != null) {
            login.setProperty("user", source.user());
        }
        if (source.password() != null) {
            login.setProperty("password", source.password());
        }
        login.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        login.setProperty("socketTimeout", Integer.toString(timeoutSeconds * 2));
        login.setProperty("readOnly", "true");
        login.setProperty("readOnlyMode", "always");
        return login;
    }

    private static String firstOf(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    @Override
    public String toString() {
        return "source " + source + ", target " + target;
    }
}

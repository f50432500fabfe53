package io.pgturso.config;

import java.nio.file.Path;

/**
 * A target URL naming {@code {tenant}} ({@code file:data/tenants/{tenant}.db}, {@code libsql://{tenant}-myorg.turso.io}):
 * each tenant's database is this URL with its database name in place of {@code {tenant}}.
 */
public record TargetTemplate(String template, Path baseDir) {
    /** The placeholder a tenant's database name replaces. */
    public static final String PLACEHOLDER = "{tenant}";
    /** The database name of the control database when {@code sync.fan-out.control-url} is not set. */
    public static final String CONTROL_NAME = "pgturso-control";

    /** Whether {@code url} is a template (names {@code {tenant}}). */
    public static boolean isTemplate(String url) {
        return url != null && url.contains(PLACEHOLDER);
    }

    /** Checks the template: it must be a target URL once a name is put in. */
    public static TargetTemplate parse(String template, Path baseDir) {
        TargetTemplate parsed = new TargetTemplate(template.trim(), baseDir);
        TargetUrl sample = parsed.urlFor("tenant");
        if (!sample.isFile() && template.indexOf(PLACEHOLDER) > template.indexOf("://") + 3 + hostLength(template)) {
            throw new ConfigException("sync.target.url '" + Redaction.url(template) + "' names {tenant} outside the host: a Turso "
                    + "database is told apart by its host name (example: libsql://{tenant}-myorg.turso.io)");
        }
        return parsed;
    }

    private static int hostLength(String url) {
        String rest = url.substring(url.indexOf("://") + 3);
        int end = rest.indexOf('/');
        return end < 0 ? rest.length() : end;
    }

    /** The URL of one tenant's database. */
    public TargetUrl urlFor(String databaseName) {
        return TargetUrl.parse(template.replace(PLACEHOLDER, databaseName), baseDir);
    }

    /** Whether tenants are local files (created by opening them) rather than Turso databases (created by the Platform API). */
    public boolean isFile() {
        return urlFor("tenant").isFile();
    }

    @Override
    public String toString() {
        return Redaction.url(template);
    }
}

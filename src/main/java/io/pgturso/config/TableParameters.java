package io.pgturso.config;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every parameter of a table ({@code camel.route-template[NAME].*}, the {@code table-sync} route template's parameters),
 * declared once: name, type, default (as the template gives it; null: required), check and the template's description.
 * routes/table-sync.camel.yaml declares the same parameters (SettingsDocumentationTest keeps the two alike).
 */
public final class TableParameters {
    private static final Map<String, Setting> ALL = new LinkedHashMap<>();

    public static final Setting TABLE = define("table", SettingType.TEXT, null, "Postgres table to copy, as name or schema.name");
    public static final Setting CURSOR = define("cursor", SettingType.TEXT, "",
            "Column that grows on every change (mode timestamp, e.g. updated_at) or on every insert (mode incrementing, e.g. id)");
    public static final Setting MODE = choice("mode", "timestamp",
            "timestamp (changed rows by cursor), incrementing (append-only by growing key), full (whole table every pass) "
            + "or cdc (Postgres' change stream, one transaction at a time)", "timestamp", "incrementing", "full", "cdc");
    public static final Setting SCHEDULE = define("schedule", SettingType.CRON, "{{" + Settings.SCHEDULE.name() + ":"
            + Settings.SCHEDULE.defaultValue() + "}}", "Quartz cron expression for the passes");
    public static final Setting BATCH_SIZE = number("batchSize", "{{" + Settings.BATCH_SIZE.name() + ":"
            + Settings.BATCH_SIZE.defaultValue() + "}}", 1, 100_000, "Rows per page (read, transformed and written together)");
    public static final Setting KEY = define("key", SettingType.TEXT, "",
            "Columns that identify a row, comma-separated (default the Postgres primary key)");
    public static final Setting COLUMNS = define("columns", SettingType.TEXT, "",
            "Only these columns, comma-separated (default all; key columns are always included)");
    public static final Setting EXCLUDE = define("exclude", SettingType.TEXT, "", "Leave out these columns, comma-separated");
    public static final Setting RENAME = define("rename", SettingType.TEXT, "",
            "Target names for columns, as source:target pairs, comma-separated");
    public static final Setting TARGET_TABLE = define("targetTable", SettingType.TEXT, "",
            "Name of the table in the target (default the Postgres table name)");
    public static final Setting SOFT_DELETE = define("softDelete", SettingType.TEXT, "",
            "Column that marks a row deleted (true, or any non-NULL value); such rows are deleted from the target");
    public static final Setting WHERE = define("where", SettingType.TEXT, "", "SQL condition on the Postgres row (e.g. "
            + "tenant_id = 42); only matching rows are copied, rows that stop matching leave the target");
    public static final Setting EXPRESSIONS = define("expressions", SettingType.TEXT, "", "Computed columns, as name: SQL "
            + "expression pairs, comma-separated (e.g. full_name: first_name || ' ' || last_name); typed by Postgres");
    public static final Setting TRANSFORM = define("transform", SettingType.TEXT, "", "Endpoint of a row hook route (e.g. "
            + "direct:mask-customers) each row passes through, as a map of target column name to value");
    public static final Setting ADD_COLUMNS = define("addColumns", SettingType.TEXT, "", "Columns the hook adds, as name:TYPE "
            + "pairs (TEXT, INTEGER, REAL, BLOB), comma-separated; the target table gets them");
    public static final Setting DROP_COLUMNS = define("dropColumns", SettingType.TEXT, "",
            "Columns the hook reads but the target table does not get, comma-separated");
    public static final Setting FAN_OUT = define("fanOut", SettingType.TEXT, "", "Column or SQL expression (typed by Postgres) "
            + "naming each row's tenant; its rows go to that tenant's own database (sync.target.url names {tenant})");

    private TableParameters() {
    }

    /** Every parameter, in the template's order. */
    public static synchronized Collection<Setting> all() {
        return Collections.unmodifiableCollection(List.copyOf(ALL.values()));
    }

    /** The parameter of this name, or null. */
    public static synchronized Setting named(String name) {
        return ALL.get(name);
    }

    /** The key of a table's parameter in application.properties. */
    public static String key(String routeId, Setting parameter) {
        return "camel.route-template[" + routeId + "]." + parameter.name();
    }

    private static Setting define(String name, SettingType type, String defaultValue, String doc) {
        return add(new Setting(name, type, defaultValue, doc, List.of(), 0, Long.MAX_VALUE, false));
    }

    private static Setting number(String name, String defaultValue, long min, long max, String doc) {
        return add(new Setting(name, SettingType.POSITIVE, defaultValue, doc, List.of(), min, max, false));
    }

    private static Setting choice(String name, String defaultValue, String doc, String... choices) {
        return add(new Setting(name, SettingType.CHOICE, defaultValue, doc, Arrays.asList(choices), 0, 0, false));
    }

    private static synchronized Setting add(Setting parameter) {
        if (ALL.putIfAbsent(parameter.name(), parameter) != null) {
            throw new IllegalStateException("Table parameter " + parameter.name() + " is declared twice");
        }
        return parameter;
    }
}

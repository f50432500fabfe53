package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Column;
import io.pgturso.libsql.hrana.StatementResult;
import io.pgturso.libsql.hrana.Value;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What tools ask about the database: identity, tables, columns and primary keys read from {@code sqlite_schema}. */
final class LibsqlDatabaseMetaData extends DatabaseMetaDataFacts {

    private static final String TABLES = "SELECT name, upper(type) FROM sqlite_schema WHERE type IN ('table', 'view')"
            + " AND name LIKE ? ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY upper(type), name";
    private static final String COLUMNS = "SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk"
            + " FROM sqlite_schema m JOIN pragma_table_info(m.name) p WHERE m.type IN ('table', 'view')"
            + " AND m.name LIKE ? ESCAPE '\\' AND p.name LIKE ? ESCAPE '\\' ORDER BY m.name, p.cid";
    private static final String PRIMARY_KEYS = "SELECT m.name, p.name, p.pk FROM sqlite_schema m"
            + " JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name = ? AND p.pk > 0 ORDER BY p.pk";

    private final LibsqlConnection connection;
    private String version;

    LibsqlDatabaseMetaData(LibsqlConnection connection) {
        this.connection = connection;
    }

    private List<List<Value>> query(String sql, String... args) throws SQLException {
        connection.checkOpen();
        List<Value> values = Arrays.stream(args).map(Value::of).toList();
        StatementResult result = new StatementRunner(connection).run(ParsedSql.of(sql), values, null).result();
        return result.rows();
    }

    private static ResultSet result(List<String> names, List<List<Value>> rows) {
        List<Column> columns = names.stream().map(name -> new Column(name, null)).toList();
        return new LibsqlResultSet(null, columns, rows);
    }

    private static ResultSet empty(String... names) {
        return result(List.of(names), List.of());
    }

    private static String pattern(String pattern) {
        return pattern == null ? "%" : pattern;
    }

    /** SQLite's version as the server reports it ({@code sqlite_version()}). */
    @Override
    public String getDatabaseProductVersion() throws SQLException {
        if (version == null) {
            version = ColumnValues.string(query("SELECT sqlite_version()").get(0).get(0));
        }
        return version;
    }

    @Override
    public int getDatabaseMajorVersion() throws SQLException {
        return versionPart(0);
    }

    @Override
    public int getDatabaseMinorVersion() throws SQLException {
        return versionPart(1);
    }

    private int versionPart(int index) throws SQLException {
        String[] parts = getDatabaseProductVersion().split("\\.");
        return parts.length > index && parts[index].matches("\\d+") ? Integer.parseInt(parts[index]) : 0;
    }

    /** The URL without any token. */
    @Override
    public String getURL() {
        return connection.url();
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return connection.isReadOnly();
    }

    @Override
    public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types)
            throws SQLException {
        List<String> wanted = types == null ? null
                : Arrays.stream(types).map(t -> t.toUpperCase(Locale.ROOT)).toList();
        List<List<Value>> rows = new ArrayList<>();
        for (List<Value> table : query(TABLES, pattern(tableNamePattern))) {
            if (wanted == null || wanted.contains(ColumnValues.string(table.get(1)))) {
                rows.add(List.of(Value.NULL, Value.NULL, table.get(0), table.get(1), Value.NULL, Value.NULL,
                        Value.NULL, Value.NULL, Value.NULL, Value.NULL));
            }
        }
        return result(List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS", "TYPE_CAT",
                "TYPE_SCHEM", "TYPE_NAME", "SELF_REFERENCING_COL_NAME", "REF_GENERATION"), rows);
    }

    @Override
    public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern,
                                String columnNamePattern) throws SQLException {
        List<List<Value>> rows = new ArrayList<>();
        for (List<Value> c : query(COLUMNS, pattern(tableNamePattern), pattern(columnNamePattern))) {
            String decltype = ColumnValues.string(c.get(3));
            int type = DeclaredTypes.jdbcType(decltype, Value.NULL);
            boolean notNull = ColumnValues.bool(c.get(4));
            boolean integerKey = ColumnValues.bool(c.get(6)) && "INTEGER".equalsIgnoreCase(decltype);
            rows.add(List.of(Value.NULL, Value.NULL, c.get(0), c.get(2), Value.of((long) type),
                    Value.of(decltype == null || decltype.isEmpty() ? DeclaredTypes.name(type) : decltype),
                    Value.of(0L), Value.NULL, Value.NULL, Value.of(10L),
                    Value.of(notNull ? (long) columnNoNulls : (long) columnNullable), Value.NULL, c.get(5),
                    Value.NULL, Value.NULL, Value.NULL, Value.of(ColumnValues.wholeNumber(c.get(1), 0,
                            Integer.MAX_VALUE) + 1), Value.of(notNull ? "NO" : "YES"), Value.NULL, Value.NULL,
                    Value.NULL, Value.NULL, Value.of(integerKey ? "YES" : "NO"), Value.of("NO")));
        }
        return result(List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME",
                "COLUMN_SIZE", "BUFFER_LENGTH", "DECIMAL_DIGITS", "NUM_PREC_RADIX", "NULLABLE", "REMARKS",
                "COLUMN_DEF", "SQL_DATA_TYPE", "SQL_DATETIME_SUB", "CHAR_OCTET_LENGTH", "ORDINAL_POSITION",
                "IS_NULLABLE", "SCOPE_CATALOG", "SCOPE_SCHEMA", "SCOPE_TABLE", "SOURCE_DATA_TYPE",
                "IS_AUTOINCREMENT", "IS_GENERATEDCOLUMN"), rows);
    }

    @Override
    public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
        List<List<Value>> rows = new ArrayList<>();
        for (List<Value> key : query(PRIMARY_KEYS, table)) {
            rows.add(List.of(Value.NULL, Value.NULL, key.get(0), key.get(1), key.get(2), Value.NULL));
        }
        return result(List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME"), rows);
    }

    @Override
    public ResultSet getTableTypes() {
        return result(List.of("TABLE_TYPE"), List.of(List.of(Value.of("TABLE")), List.of(Value.of("VIEW"))));
    }

    @Override
    public ResultSet getTypeInfo() {
        List<List<Value>> rows = new ArrayList<>();
        for (int type : new int[] {java.sql.Types.BIGINT, java.sql.Types.DOUBLE, java.sql.Types.VARCHAR,
            java.sql.Types.BLOB, java.sql.Types.NUMERIC}) {
            rows.add(List.of(Value.of(DeclaredTypes.name(type)), Value.of((long) type), Value.of(0L), Value.NULL,
                    Value.NULL, Value.NULL, Value.of((long) typeNullable), Value.of(type == java.sql.Types.VARCHAR ? 1L
                            : 0L), Value.of((long) typeSearchable), Value.of(0L), Value.of(0L), Value.of(0L),
                    Value.NULL, Value.of(0L), Value.of(0L), Value.NULL, Value.NULL, Value.of(10L)));
        }
        return result(List.of("TYPE_NAME", "DATA_TYPE", "PRECISION", "LITERAL_PREFIX", "LITERAL_SUFFIX",
                "CREATE_PARAMS", "NULLABLE", "CASE_SENSITIVE", "SEARCHABLE", "UNSIGNED_ATTRIBUTE", "FIXED_PREC_SCALE",
                "AUTO_INCREMENT", "LOCAL_TYPE_NAME", "MINIMUM_SCALE", "MAXIMUM_SCALE", "SQL_DATA_TYPE",
                "SQL_DATETIME_SUB", "NUM_PREC_RADIX"), rows);
    }

    // libSQL has no catalogs, schemas, procedures, functions or user-defined types: empty answers are the truth.
    @Override
    public ResultSet getCatalogs() {
        return empty("TABLE_CAT");
    }

    @Override
    public ResultSet getSchemas() {
        return empty("TABLE_SCHEM", "TABLE_CATALOG");
    }

    @Override
    public ResultSet getSchemas(String catalog, String schemaPattern) {
        return getSchemas();
    }

    @Override
    public ResultSet getProcedures(String catalog, String schemaPattern, String procedureNamePattern) {
        return empty("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "REMARKS", "PROCEDURE_TYPE",
                "SPECIFIC_NAME");
    }

    @Override
    public ResultSet getProcedureColumns(String catalog, String schemaPattern, String procedureNamePattern,
                                         String columnNamePattern) {
        return empty("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "COLUMN_NAME", "COLUMN_TYPE");
    }

    @Override
    public ResultSet getFunctions(String catalog, String schemaPattern, String functionNamePattern) {
        return empty("FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "REMARKS", "FUNCTION_TYPE", "SPECIFIC_NAME");
    }

    @Override
    public ResultSet getFunctionColumns(String catalog, String schemaPattern, String functionNamePattern,
                                        String columnNamePattern) {
        return empty("FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "COLUMN_NAME", "COLUMN_TYPE");
    }

    @Override
    public ResultSet getUDTs(String catalog, String schemaPattern, String typeNamePattern, int[] types) {
        return empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "CLASS_NAME", "DATA_TYPE", "REMARKS", "BASE_TYPE");
    }

    @Override
    public ResultSet getSuperTypes(String catalog, String schemaPattern, String typeNamePattern) {
        return empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "SUPERTYPE_CAT", "SUPERTYPE_SCHEM", "SUPERTYPE_NAME");
    }

    @Override
    public ResultSet getSuperTables(String catalog, String schemaPattern, String tableNamePattern) {
        return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "SUPERTABLE_NAME");
    }

    @Override
    public ResultSet getAttributes(String catalog, String schemaPattern, String typeNamePattern,
                                   String attributeNamePattern) {
        return empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "ATTR_NAME", "DATA_TYPE");
    }

    @Override
    public ResultSet getClientInfoProperties() {
        return empty("NAME", "MAX_LEN", "DEFAULT_VALUE", "DESCRIPTION");
    }

    @Override
    public ResultSet getPseudoColumns(String catalog, String schemaPattern, String tableNamePattern,
                                      String columnNamePattern) {
        return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE");
    }

    @Override
    public ResultSet getColumnPrivileges(String catalog, String schema, String table, String columnNamePattern)
            throws SQLException {
        throw SqlErrors.unsupported("getColumnPrivileges");
    }

    @Override
    public ResultSet getTablePrivileges(String catalog, String schemaPattern, String tableNamePattern)
            throws SQLException {
        throw SqlErrors.unsupported("getTablePrivileges");
    }

    @Override
    public ResultSet getBestRowIdentifier(String catalog, String schema, String table, int scope, boolean nullable)
            throws SQLException {
        throw SqlErrors.unsupported("getBestRowIdentifier");
    }

    @Override
    public ResultSet getVersionColumns(String catalog, String schema, String table) throws SQLException {
        throw SqlErrors.unsupported("getVersionColumns");
    }

    @Override
    public ResultSet getImportedKeys(String catalog, String schema, String table) throws SQLException {
        throw SqlErrors.unsupported("getImportedKeys");
    }

    @Override
    public ResultSet getExportedKeys(String catalog, String schema, String table) throws SQLException {
        throw SqlErrors.unsupported("getExportedKeys");
    }

    @Override
    public ResultSet getCrossReference(String parentCatalog, String parentSchema, String parentTable,
                                       String foreignCatalog, String foreignSchema, String foreignTable)
            throws SQLException {
        throw SqlErrors.unsupported("getCrossReference");
    }

    @Override
    public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique, boolean approximate)
            throws SQLException {
        throw SqlErrors.unsupported("getIndexInfo");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return Wrappers.unwrap(this, type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}

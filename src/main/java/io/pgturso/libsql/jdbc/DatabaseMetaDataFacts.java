package io.pgturso.libsql.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;

/**
 * The fixed facts of {@link DatabaseMetaData} for libSQL (SQLite's SQL) through this driver: forward-only read-only
 * results, READ COMMITTED client-side transactions, batches, generated keys; 0 means "no known limit".
 */
abstract class DatabaseMetaDataFacts implements DatabaseMetaData {

    @Override
    public boolean allProceduresAreCallable() { return false; }

    @Override
    public boolean allTablesAreSelectable() { return true; }

    @Override
    public boolean autoCommitFailureClosesAllResultSets() { return false; }

    @Override
    public boolean dataDefinitionCausesTransactionCommit() { return false; }

    @Override
    public boolean dataDefinitionIgnoredInTransactions() { return false; }

    @Override
    public boolean deletesAreDetected(int type) { return false; }

    @Override
    public boolean doesMaxRowSizeIncludeBlobs() { return false; }

    @Override
    public boolean generatedKeyAlwaysReturned() { return false; }

    @Override
    public int getDefaultTransactionIsolation() { return Connection.TRANSACTION_READ_COMMITTED; }

    @Override
    public int getDriverMajorVersion() { return LibsqlDriver.MAJOR_VERSION; }

    @Override
    public int getDriverMinorVersion() { return LibsqlDriver.MINOR_VERSION; }

    @Override
    public int getJDBCMajorVersion() { return 4; }

    @Override
    public int getJDBCMinorVersion() { return 2; }

    @Override
    public int getMaxBinaryLiteralLength() { return 0; }

    @Override
    public int getMaxCatalogNameLength() { return 0; }

    @Override
    public int getMaxCharLiteralLength() { return 0; }

    @Override
    public int getMaxColumnNameLength() { return 0; }

    @Override
    public int getMaxColumnsInGroupBy() { return 0; }

    @Override
    public int getMaxColumnsInIndex() { return 0; }

    @Override
    public int getMaxColumnsInOrderBy() { return 0; }

    @Override
    public int getMaxColumnsInSelect() { return 2000; }

    @Override
    public int getMaxColumnsInTable() { return 2000; }

    @Override
    public int getMaxConnections() { return 0; }

    @Override
    public int getMaxCursorNameLength() { return 0; }

    @Override
    public int getMaxIndexLength() { return 0; }

    @Override
    public int getMaxProcedureNameLength() { return 0; }

    @Override
    public int getMaxRowSize() { return 0; }

    @Override
    public int getMaxSchemaNameLength() { return 0; }

    @Override
    public int getMaxStatementLength() { return 0; }

    @Override
    public int getMaxStatements() { return 0; }

    @Override
    public int getMaxTableNameLength() { return 0; }

    @Override
    public int getMaxTablesInSelect() { return 0; }

    @Override
    public int getMaxUserNameLength() { return 0; }

    @Override
    public int getResultSetHoldability() { return ResultSet.CLOSE_CURSORS_AT_COMMIT; }

    @Override
    public int getSQLStateType() { return sqlStateSQL; }

    @Override
    public boolean insertsAreDetected(int type) { return false; }

    @Override
    public boolean locatorsUpdateCopy() { return false; }

    @Override
    public boolean nullPlusNonNullIsNull() { return true; }

    @Override
    public boolean nullsAreSortedAtEnd() { return false; }

    @Override
    public boolean nullsAreSortedAtStart() { return false; }

    @Override
    public boolean nullsAreSortedHigh() { return false; }

    @Override
    public boolean nullsAreSortedLow() { return true; }

    @Override
    public boolean othersDeletesAreVisible(int type) { return false; }

    @Override
    public boolean othersInsertsAreVisible(int type) { return false; }

    @Override
    public boolean othersUpdatesAreVisible(int type) { return false; }

    @Override
    public boolean ownDeletesAreVisible(int type) { return false; }

    @Override
    public boolean ownInsertsAreVisible(int type) { return false; }

    @Override
    public boolean ownUpdatesAreVisible(int type) { return false; }

    @Override
    public boolean storesLowerCaseIdentifiers() { return false; }

    @Override
    public boolean storesLowerCaseQuotedIdentifiers() { return false; }

    @Override
    public boolean storesMixedCaseIdentifiers() { return true; }

    @Override
    public boolean storesMixedCaseQuotedIdentifiers() { return true; }

    @Override
    public boolean storesUpperCaseIdentifiers() { return false; }

    @Override
    public boolean storesUpperCaseQuotedIdentifiers() { return false; }

    @Override
    public boolean supportsANSI92EntryLevelSQL() { return true; }

    @Override
    public boolean supportsANSI92FullSQL() { return false; }

    @Override
    public boolean supportsANSI92IntermediateSQL() { return false; }

    @Override
    public boolean supportsAlterTableWithAddColumn() { return true; }

    @Override
    public boolean supportsAlterTableWithDropColumn() { return true; }

    @Override
    public boolean supportsBatchUpdates() { return true; }

    @Override
    public boolean supportsCatalogsInDataManipulation() { return false; }

    @Override
    public boolean supportsCatalogsInIndexDefinitions() { return false; }

    @Override
    public boolean supportsCatalogsInPrivilegeDefinitions() { return false; }

    @Override
    public boolean supportsCatalogsInProcedureCalls() { return false; }

    @Override
    public boolean supportsCatalogsInTableDefinitions() { return false; }

    @Override
    public boolean supportsColumnAliasing() { return true; }

    @Override
    public boolean supportsConvert() { return false; }

    @Override
    public boolean supportsConvert(int fromType, int toType) { return false; }

    @Override
    public boolean supportsCoreSQLGrammar() { return false; }

    @Override
    public boolean supportsCorrelatedSubqueries() { return true; }

    @Override
    public boolean supportsDataDefinitionAndDataManipulationTransactions() { return true; }

    @Override
    public boolean supportsDataManipulationTransactionsOnly() { return false; }

    @Override
    public boolean supportsDifferentTableCorrelationNames() { return false; }

    @Override
    public boolean supportsExpressionsInOrderBy() { return true; }

    @Override
    public boolean supportsExtendedSQLGrammar() { return false; }

    @Override
    public boolean supportsFullOuterJoins() { return false; }

    @Override
    public boolean supportsGetGeneratedKeys() { return true; }

    @Override
    public boolean supportsGroupBy() { return true; }

    @Override
    public boolean supportsGroupByBeyondSelect() { return true; }

    @Override
    public boolean supportsGroupByUnrelated() { return true; }

    @Override
    public boolean supportsIntegrityEnhancementFacility() { return true; }

    @Override
    public boolean supportsLikeEscapeClause() { return true; }

    @Override
    public boolean supportsLimitedOuterJoins() { return true; }

    @Override
    public boolean supportsMinimumSQLGrammar() { return true; }

    @Override
    public boolean supportsMixedCaseIdentifiers() { return false; }

    @Override
    public boolean supportsMixedCaseQuotedIdentifiers() { return false; }

    @Override
    public boolean supportsMultipleOpenResults() { return false; }

    @Override
    public boolean supportsMultipleResultSets() { return false; }

    @Override
    public boolean supportsMultipleTransactions() { return true; }

    @Override
    public boolean supportsNamedParameters() { return false; }

    @Override
    public boolean supportsNonNullableColumns() { return true; }

    @Override
    public boolean supportsOpenCursorsAcrossCommit() { return false; }

    @Override
    public boolean supportsOpenCursorsAcrossRollback() { return false; }

    @Override
    public boolean supportsOpenStatementsAcrossCommit() { return true; }

    @Override
    public boolean supportsOpenStatementsAcrossRollback() { return true; }

    @Override
    public boolean supportsOrderByUnrelated() { return true; }

    @Override
    public boolean supportsOuterJoins() { return true; }

    @Override
    public boolean supportsPositionedDelete() { return false; }

    @Override
    public boolean supportsPositionedUpdate() { return false; }

    @Override
    public boolean supportsResultSetConcurrency(int type, int concurrency) { return type == ResultSet.TYPE_FORWARD_ONLY && concurrency == ResultSet.CONCUR_READ_ONLY; }

    @Override
    public boolean supportsResultSetHoldability(int holdability) { return holdability == ResultSet.CLOSE_CURSORS_AT_COMMIT; }

    @Override
    public boolean supportsResultSetType(int type) { return type == ResultSet.TYPE_FORWARD_ONLY; }

    @Override
    public boolean supportsSavepoints() { return false; }

    @Override
    public boolean supportsSchemasInDataManipulation() { return false; }

    @Override
    public boolean supportsSchemasInIndexDefinitions() { return false; }

    @Override
    public boolean supportsSchemasInPrivilegeDefinitions() { return false; }

    @Override
    public boolean supportsSchemasInProcedureCalls() { return false; }

    @Override
    public boolean supportsSchemasInTableDefinitions() { return false; }

    @Override
    public boolean supportsSelectForUpdate() { return false; }

    @Override
    public boolean supportsStatementPooling() { return false; }

    @Override
    public boolean supportsStoredFunctionsUsingCallSyntax() { return false; }

    @Override
    public boolean supportsStoredProcedures() { return false; }

    @Override
    public boolean supportsSubqueriesInComparisons() { return true; }

    @Override
    public boolean supportsSubqueriesInExists() { return true; }

    @Override
    public boolean supportsSubqueriesInIns() { return true; }

    @Override
    public boolean supportsSubqueriesInQuantifieds() { return true; }

    @Override
    public boolean supportsTableCorrelationNames() { return true; }

    @Override
    public boolean supportsTransactionIsolationLevel(int level) { return level == Connection.TRANSACTION_READ_COMMITTED || level == Connection.TRANSACTION_READ_UNCOMMITTED; }

    @Override
    public boolean supportsTransactions() { return true; }

    @Override
    public boolean supportsUnion() { return true; }

    @Override
    public boolean supportsUnionAll() { return true; }

    @Override
    public boolean updatesAreDetected(int type) { return false; }

    @Override
    public boolean usesLocalFilePerTable() { return false; }

    @Override
    public boolean usesLocalFiles() { return false; }

    @Override
    public String getDatabaseProductName() {
        return "libSQL";
    }

    @Override
    public String getDriverName() {
        return LibsqlDriver.NAME;
    }

    @Override
    public String getDriverVersion() {
        return LibsqlDriver.MAJOR_VERSION + "." + LibsqlDriver.MINOR_VERSION;
    }

    /** Tokens carry no user name: empty. */
    @Override
    public String getUserName() {
        return "";
    }

    @Override
    public RowIdLifetime getRowIdLifetime() {
        return RowIdLifetime.ROWID_UNSUPPORTED;
    }

    @Override
    public String getIdentifierQuoteString() {
        return "\"";
    }

    @Override
    public String getSearchStringEscape() {
        return "\\";
    }

    @Override
    public String getExtraNameCharacters() {
        return "";
    }

    @Override
    public String getCatalogSeparator() {
        return ".";
    }

    @Override
    public String getCatalogTerm() {
        return "catalog";
    }

    @Override
    public String getSchemaTerm() {
        return "schema";
    }

    @Override
    public String getProcedureTerm() {
        return "procedure";
    }

    @Override
    public boolean isCatalogAtStart() {
        return true;
    }

    @Override
    public String getSQLKeywords() {
        return "ABORT,ANALYZE,ATTACH,AUTOINCREMENT,CONFLICT,DATABASE,DETACH,EXCLUSIVE,GLOB,IF,IGNORE,INDEXED,"
                + "INSTEAD,ISNULL,LIMIT,NOTNULL,OFFSET,PLAN,PRAGMA,QUERY,RAISE,REGEXP,REINDEX,RENAME,REPLACE,"
                + "RETURNING,TEMP,VACUUM,VIRTUAL";
    }

    @Override
    public String getNumericFunctions() {
        return "ABS,MAX,MIN,RANDOM,ROUND";
    }

    @Override
    public String getStringFunctions() {
        return "INSTR,LENGTH,LOWER,LTRIM,REPLACE,RTRIM,SUBSTR,TRIM,UPPER";
    }

    @Override
    public String getSystemFunctions() {
        return "CHANGES,COALESCE,IFNULL,LAST_INSERT_ROWID,NULLIF,SQLITE_VERSION,TYPEOF";
    }

    @Override
    public String getTimeDateFunctions() {
        return "DATE,DATETIME,JULIANDAY,STRFTIME,TIME,UNIXEPOCH";
    }
}

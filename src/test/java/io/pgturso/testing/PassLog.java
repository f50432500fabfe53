package io.pgturso.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** What a multi-process test reads from the passes {@link PassRecorder} recorded: who ran which table when, and the kills. */
public final class PassLog {
    /** The record of the passes, and of when the test killed each process. */
    public static final String DDL = PassRecorder.DDL + "; CREATE TABLE IF NOT EXISTS node_kill (node text PRIMARY KEY, killed_at timestamptz NOT NULL)";

    private final JdbcTemplate pg;

    /** @param pg a connection whose queries cannot block (see {@link ProcessCluster#monitor()}) */
    public PassLog(JdbcTemplate pg) {
        this.pg = pg;
    }

    /** Processes that have recorded at least one pass. */
    public List<String> nodesWithPasses() {
        return pg.queryForList("SELECT DISTINCT node FROM pass_log ORDER BY node", String.class);
    }

    /** Processes that have started a pass after {@code since} (a timestamp as text). */
    public List<String> nodesWithPassesSince(String since) {
        return pg.queryForList("SELECT DISTINCT node FROM pass_log WHERE started > CAST(? AS timestamptz) ORDER BY node", String.class, since);
    }

    /** Processes inside a pass now, the one with the most open passes first. */
    public List<String> nodesInsideAPass() {
        return pg.queryForList("SELECT node FROM pass_log WHERE ended IS NULL GROUP BY node ORDER BY count(*) DESC, min(id)", String.class);
    }

    /** The tables whose pass by {@code node} has started and not ended. */
    public List<String> openPasses(String node) {
        return pg.queryForList("SELECT route FROM pass_log WHERE node = ? AND ended IS NULL ORDER BY route", String.class, node);
    }

    /** Records that the test killed {@code node} now. */
    public void killed(String node) {
        pg.update("INSERT INTO node_kill VALUES (?, clock_timestamp())", node);
    }

    /** Postgres's clock now, as text for {@link #tablesSyncedAfter}. */
    public String now() {
        return pg.queryForObject("SELECT CAST(clock_timestamp() AS text)", String.class);
    }

    /** When {@code node} was killed, as text. */
    public String killedAt(String node) {
        return pg.queryForObject("SELECT CAST(killed_at AS text) FROM node_kill WHERE node = ?", String.class, node);
    }

    /** Tables with a completed pass that started after {@code since} (a timestamp as text). */
    public List<String> tablesSyncedAfter(String since) {
        return pg.queryForList("SELECT DISTINCT route FROM pass_log WHERE ended IS NOT NULL AND started > CAST(? AS timestamptz) ORDER BY route",
                String.class, since);
    }

    /** Tables among {@code tables} with a pass started after {@code since} by another process than {@code node}. */
    public List<String> takenOver(List<String> tables, String node, String since) {
        return pg.queryForList("SELECT DISTINCT route FROM pass_log WHERE node <> ? AND started > CAST(? AS timestamptz) AND route = ANY (?) ORDER BY route",
                String.class, node, since, tables.toArray(String[]::new));
    }

    /** Pairs of passes of one table that overlapped in time (a killed process's open pass ends at its kill). */
    public List<String> overlaps() {
        return pg.queryForList("""
                SELECT a.route || ': ' || a.node || ' ' || a.started || '..' || coalesce(a.ended, ka.killed_at)
                       || ' overlaps ' || b.node || ' ' || b.started || '..' || coalesce(b.ended, kb.killed_at)
                FROM pass_log a JOIN node_kill ka ON ka.node = a.node
                JOIN pass_log b ON b.route = a.route AND b.id > a.id JOIN node_kill kb ON kb.node = b.node
                WHERE tstzrange(a.started, coalesce(a.ended, ka.killed_at)) && tstzrange(b.started, coalesce(b.ended, kb.killed_at))""",
                String.class);
    }

    /**
     * Per table, the runs of consecutive passes by one process, in seconds from the first pass, then the kills and how
     * long after the kill the killed process's tables ran elsewhere. Passes still open are marked so.
     */
    public String timeline() {
        StringBuilder out = new StringBuilder("Cluster timeline (s from the first pass");
        pg.query("""
                SELECT k.node, round(extract(epoch FROM k.killed_at - f.first)::numeric, 2) AS at,
                       (SELECT string_agg(route, ', ' ORDER BY route) FROM pass_log p WHERE p.node = k.node AND p.ended IS NULL) AS held
                FROM node_kill k, (SELECT min(started) AS first FROM pass_log) f ORDER BY k.killed_at LIMIT 1""",
                rs -> {
                    out.append("; ").append(rs.getString("node")).append(" killed at ").append(rs.getString("at")).append(" s, inside a pass of [")
                            .append(rs.getString("held") == null ? "" : rs.getString("held")).append("]");
                });
        out.append(")\n");
        Map<String, List<String>> runs = new LinkedHashMap<>();
        pg.query("""
                WITH f AS (SELECT min(started) AS first FROM pass_log),
                p AS (SELECT route, node, started, coalesce(ended, k.killed_at, clock_timestamp()) AS ended, ended IS NULL AS cut,
                             k.killed_at IS NOT NULL AS killed,
                             CASE WHEN node = lag(node) OVER (PARTITION BY route ORDER BY started) THEN 0 ELSE 1 END AS change
                      FROM pass_log LEFT JOIN node_kill k USING (node)),
                g AS (SELECT *, sum(change) OVER (PARTITION BY route ORDER BY started) AS run FROM p)
                SELECT route, node, count(*) AS passes, bool_or(cut AND killed) AS killed, bool_or(cut AND NOT killed) AS open,
                       round(extract(epoch FROM min(started) - (SELECT first FROM f))::numeric, 2) AS from_s,
                       round(extract(epoch FROM max(ended) - (SELECT first FROM f))::numeric, 2) AS to_s
                FROM g GROUP BY route, run, node ORDER BY route, min(started)""", rs -> {
            runs.computeIfAbsent(rs.getString("route"), r -> new ArrayList<>()).add(rs.getString("node") + " x" + rs.getLong("passes")
                    + " [" + rs.getString("from_s") + "-" + rs.getString("to_s") + (rs.getBoolean("killed") ? " killed" : "")
                    + (rs.getBoolean("open") ? " open" : "") + "]");
        });
        runs.forEach((route, list) -> out.append("  ").append(route).append(": ").append(String.join(" -> ", list)).append('\n'));
        pg.query("""
                SELECT k.node, coalesce(string_agg(x.route || ' ' || round(extract(epoch FROM x.s - k.killed_at)::numeric, 2) || ' s', ', '
                       ORDER BY x.route), 'none yet') AS takeover
                FROM node_kill k LEFT JOIN LATERAL (
                    SELECT route, min(started) AS s FROM pass_log
                    WHERE started > k.killed_at AND route IN (SELECT route FROM pass_log WHERE node = k.node AND ended IS NULL)
                    GROUP BY route) x ON true
                WHERE EXISTS (SELECT 1 FROM pass_log WHERE node = k.node AND ended IS NULL)
                GROUP BY k.node, k.killed_at ORDER BY k.killed_at LIMIT 1""",
                rs -> {
                    out.append("takeover after the kill of ").append(rs.getString("node")).append(": ").append(rs.getString("takeover"));
                });
        return out.toString();
    }
}

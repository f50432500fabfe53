package io.pgturso.pass;

import io.pgturso.failure.SyncFailures;
import io.pgturso.route.RouteNames;
import io.pgturso.route.UsedByRoutes;
import io.pgturso.source.ColumnSpec;
import io.pgturso.source.TableSpec;
import io.pgturso.transform.RowHook;
import io.pgturso.transform.RowKey;
import io.pgturso.transform.RowRejectedException;
import io.pgturso.transform.RowTransformer;
import io.pgturso.transform.TargetRow;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The split's transform step for one chunk of a page (the body, a list of Postgres rows): each row becomes a
 * {@link TargetRow}, through the table's row hook when it has one; the body becomes the chunk's {@link TransformResult}.
 * A row that cannot be transformed, or that the hook fails on, is kept aside for the dead letters; the others go on.
 */
@UsedByRoutes("table-sync: the split's process step, bean transformStep")
public class TransformStep implements Processor, CamelContextAware {
    private CamelContext camel;
    private RowHook hook;

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        TableSpec spec = exchange.getVariable(RouteNames.PASS, TablePass.class).getSpec();
        List<Map<String, Object>> rows = exchange.getMessage().getBody(List.class);
        List<ColumnSpec> targetColumns = spec.targetColumns();
        List<ColumnSpec> hookColumns = spec.rules().changes().hooked() ? spec.hookColumns() : null;
        TransformResult out = new TransformResult(rows.size());
        for (Map<String, Object> row : rows) {
            try {
                if (hookColumns == null || RowTransformer.deletes(spec, row)) {
                    out.rows().add(RowTransformer.transform(spec, row, targetColumns));
                } else {
                    hooked(spec, row, hookColumns, targetColumns, out);
                }
            } catch (RowRejectedException e) {
                out.getRejected().add(e);
            }
        }
        exchange.getMessage().setBody(out);
    }

    /** One row as a pass would transform it (through the hook, if any); null when the hook skips it. */
    public TargetRow transformOne(TableSpec spec, Map<String, Object> row) {
        TransformResult out = new TransformResult(1);
        if (!spec.rules().changes().hooked() || RowTransformer.deletes(spec, row)) {
            return RowTransformer.transform(spec, row);
        }
        hooked(spec, row, spec.hookColumns(), spec.targetColumns(), out);
        return out.rows().isEmpty() ? null : out.rows().get(0);
    }

    private void hooked(TableSpec spec, Map<String, Object> row, List<ColumnSpec> hookColumns, List<ColumnSpec> targetColumns,
            TransformResult out) {
        RowTransformer.checkTenant(spec, row);
        Map<String, Object> body = RowTransformer.byTargetName(spec, row, hookColumns);
        // the key values as read, to check the hook left them (the hook gets the map itself, not a copy: per-row path)
        Map<String, Object> before = new java.util.HashMap<>(4);
        for (ColumnSpec k : spec.key()) {
            before.put(k.target(), body.get(k.target()));
        }
        try {
            Map<String, Object> after = hook().apply(spec, body, targetColumns);
            if (after == null) {
                out.skip();
            } else {
                out.rows().add(RowHook.targetRow(spec, before, after, targetColumns, row));
            }
        } catch (RowHook.HookMissingException e) {
            throw e;
        } catch (Exception e) {
            throw new RowRejectedException(RowKey.of(spec, row), RowTransformer.sourceJson(spec, row),
                    "transform hook " + spec.rules().changes().transform() + ": " + SyncFailures.describe(e));
        }
    }

    private synchronized RowHook hook() {
        if (hook == null) {
            hook = new RowHook(camel);
        }
        return hook;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camel = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camel;
    }
}

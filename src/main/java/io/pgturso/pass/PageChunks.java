package io.pgturso.pass;

import io.pgturso.route.UsedByRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/** Gathers the split's transformed chunks back into one page ({@link TransformResult}): rows to write and rows skipped. */
@UsedByRoutes("table-sync: the split's method chunks and aggregationStrategy, bean pageChunks")
public class PageChunks implements AggregationStrategy {
    /** Rows per chunk: one split exchange per chunk, not per row. */
    static final int CHUNK_ROWS = 1000;

    /** The split's parts: the page's rows in chunks of {@value #CHUNK_ROWS}. */
    public List<List<Map<String, Object>>> chunks(List<Map<String, Object>> rows) {
        List<List<Map<String, Object>>> out = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += CHUNK_ROWS) {
            out.add(rows.subList(from, Math.min(rows.size(), from + CHUNK_ROWS)));
        }
        return out;
    }

    @Override
    public Exchange aggregate(Exchange page, Exchange chunk) {
        if (page == null) {
            TransformResult rows = new TransformResult(0);
            add(rows, chunk);
            chunk.getMessage().setBody(rows);
            return chunk;
        }
        add(page.getMessage().getBody(TransformResult.class), chunk);
        return page;
    }

    private static void add(TransformResult page, Exchange chunk) {
        if (chunk.getMessage().getBody() instanceof TransformResult rows) {
            page.addAll(rows);
        }
    }

    /** A page whose rows all failed, or that had none, still ends as an (empty) {@link TransformResult}. */
    @Override
    public void onCompletion(Exchange page, Exchange input) {
        if (page != null && !(page.getMessage().getBody() instanceof TransformResult)) {
            page.getMessage().setBody(new TransformResult(0));
        }
    }
}

package io.pgturso.sync;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/** Gathers the split's transformed chunks back into one page ({@link TransformedRows}): rows to write and rows skipped. */
public class PageRows implements AggregationStrategy {
    @Override
    public Exchange aggregate(Exchange page, Exchange chunk) {
        if (page == null) {
            TransformedRows rows = new TransformedRows(0);
            add(rows, chunk);
            chunk.getMessage().setBody(rows);
            return chunk;
        }
        add(page.getMessage().getBody(TransformedRows.class), chunk);
        return page;
    }

    private static void add(TransformedRows page, Exchange chunk) {
        if (chunk.getMessage().getBody() instanceof TransformedRows rows) {
            page.addAll(rows);
        }
    }

    @Override
    public void onCompletion(Exchange original, Exchange page) {
        if (page == null || !(page.getMessage().getBody() instanceof TransformedRows)) {
            original.getMessage().setBody(new TransformedRows(0));
        }
    }
}

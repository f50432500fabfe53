package io.pgturso.pass;

/** The page handed to the writer could not be written; the pass ends and its checkpoint stays before that page. */
public class PageWriteFailedException extends RuntimeException {
    // the writer already retried what was transient: no cause, so the pass is not retried for it once more
    public PageWriteFailedException(String message) {
        super(message);
    }
}

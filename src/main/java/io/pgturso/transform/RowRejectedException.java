package io.pgturso.transform;

/** A row that cannot be stored faithfully in the target; it goes to the dead letters and the rest of its page goes on. */
public class RowRejectedException extends RuntimeException {
    private final transient RowKey key;
    private final String sourceJson;

    public RowRejectedException(RowKey key, String sourceJson, String message) {
        super(message);
        this.key = key;
        this.sourceJson = sourceJson;
    }

    public RowKey key() {
        return key;
    }

    public String sourceJson() {
        return sourceJson;
    }
}

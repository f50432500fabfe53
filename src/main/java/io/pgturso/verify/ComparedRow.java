package io.pgturso.verify;

import java.util.List;

/** One row as compared: its key and its values in the order of the columns read, normalised (see {@link Values}). */
public record ComparedRow(ComparedKey key, List<Object> values) {
}

package io.pgturso.verify;

/** The first and last key of a chunk, on either side. */
public record KeyRange(ComparedKey first, ComparedKey last) {
    @Override
    public String toString() {
        return first.equals(last) ? first.toString() : first + ".." + last;
    }
}

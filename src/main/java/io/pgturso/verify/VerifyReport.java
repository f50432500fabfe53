package io.pgturso.verify;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/** Prints a comparison as one line per table, then, for a differing table, its key ranges and example keys. */
public final class VerifyReport {
    private VerifyReport() {
    }

    /** Prints one table's result. */
    public static void print(ComparisonResult r, PrintStream out) {
        if (r.problem() != null) {
            String word = r.problem().startsWith("target table") ? "DIFFERENT" : "ERROR";
            out.println(r.table() + ": " + word + " " + r.problem());
            return;
        }
        if (r.isEqual()) {
            out.println(r.table() + ": OK " + r.sourceRows() + " rows");
            return;
        }
        if (r.matchesApartFromDeadLetters()) {
            out.println(r.table() + ": OK " + r.sourceRows() + " rows, apart from " + r.deadLettered().count()
                    + " dead-lettered (known, see status and replay)");
            line(out, "dead-lettered", r.deadLettered());
            return;
        }
        out.println(r.table() + ": DIFFERENT " + r.sourceRows() + " rows in Postgres, " + r.targetRows() + " in the target: "
                + r.missing().count() + " missing, " + r.extra().count() + " extra, " + r.changed().count() + " changed, in "
                + r.differingChunks() + " of " + r.chunks() + " chunks");
        out.println("  differing key ranges: " + join(r.differingRanges())
                + (r.differingChunks() > r.differingRanges().size() ? ", ..." : ""));
        line(out, "missing in target", r.missing());
        line(out, "extra in target", r.extra());
        line(out, "changed", r.changed());
        line(out, "dead-lettered (known)", r.deadLettered());
    }

    private static void line(PrintStream out, String label, Difference d) {
        if (d.count() > 0) {
            out.println("  " + label + ": " + join(d.examples()) + (d.count() > d.examples().size() ? ", ..." : ""));
        }
    }

    private static String join(List<?> items) {
        return items.stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}

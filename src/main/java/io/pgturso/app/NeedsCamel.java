package io.pgturso.app;

/** Configuration the commands' own reader leaves to Camel (a construct it does not read, or an error Camel words): Camel starts instead. */
final class NeedsCamel extends RuntimeException {
    NeedsCamel(String reason) {
        super(reason, null, false, false);
    }
}

package io.pgturso.cdc.pgoutput;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads pgoutput protocol version 1 messages, one per {@link ByteBuffer} (the payload of one XLogData message), and
 * keeps the {@link RelationCache} up to date so that each change names its table. One decoder per stream and thread.
 */
public final class PgOutputDecoder {
    /** Postgres' timestamps count microseconds from 2000-01-01 UTC. */
    static final Instant POSTGRES_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    private final RelationCache relations;

    public PgOutputDecoder() {
        this(new RelationCache());
    }

    public PgOutputDecoder(RelationCache relations) {
        this.relations = relations;
    }

    /** The tables and types seen so far. */
    public RelationCache relations() {
        return relations;
    }

    /** Decodes one message, from the buffer's position to its limit. */
    public PgOutputMessage decode(ByteBuffer buffer) {
        ByteBuffer in = buffer.slice(); // network byte order, as pgoutput writes it
        char kind = (char) (in.hasRemaining() ? in.get() : '?');
        try {
            PgOutputMessage message = decode(kind, in);
            if (in.hasRemaining()) {
                throw new PgOutputException("message '" + kind + "' has " + in.remaining() + " bytes left over");
            }
            return message;
        } catch (BufferUnderflowException e) {
            throw new PgOutputException("message '" + kind + "' ends early (" + buffer.remaining() + " bytes)", e);
        }
    }

    private PgOutputMessage decode(char kind, ByteBuffer in) {
        return switch (kind) {
            case 'B' -> new PgOutputMessage.Begin(in.getLong(), timestamp(in), unsigned(in.getInt()));
            case 'C' -> new PgOutputMessage.Commit(in.get(), in.getLong(), in.getLong(), timestamp(in));
            case 'O' -> new PgOutputMessage.Origin(in.getLong(), string(in));
            case 'R' -> remember(relation(in));
            case 'Y' -> remember(new PgOutputMessage.Type(unsigned(in.getInt()), string(in), string(in)));
            case 'I' -> insert(in);
            case 'U' -> update(in);
            case 'D' -> delete(in);
            case 'T' -> truncate(in);
            case 'M' -> message(in);
            case 'S', 'E', 'c', 'A' -> throw new PgOutputException("streamed-transaction message '" + kind
                    + "': the stream must not ask for streaming (protocol version 1)");
            default -> throw new PgOutputException(String.format("unknown pgoutput message type 0x%02x", (int) kind & 0xff));
        };
    }

    private Relation remember(Relation relation) {
        relations.put(relation);
        return relation;
    }

    private PgOutputMessage.Type remember(PgOutputMessage.Type type) {
        relations.put(type);
        return type;
    }

    private static Relation relation(ByteBuffer in) {
        long oid = unsigned(in.getInt());
        String namespace = string(in);
        String name = string(in);
        char replicaIdentity = (char) in.get();
        int count = Short.toUnsignedInt(in.getShort());
        List<Relation.Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean key = (in.get() & 1) != 0;
            columns.add(new Relation.Column(key, string(in), unsigned(in.getInt()), in.getInt()));
        }
        return new Relation(oid, namespace, name, replicaIdentity, columns);
    }

    private PgOutputMessage.Insert insert(ByteBuffer in) {
        Relation relation = relations.relation(unsigned(in.getInt()));
        expect(in, 'N', "insert");
        return new PgOutputMessage.Insert(relation, tuple(in));
    }

    private PgOutputMessage.Update update(ByteBuffer in) {
        Relation relation = relations.relation(unsigned(in.getInt()));
        char kind = (char) in.get();
        TupleData oldKey = null;
        TupleData oldRow = null;
        if (kind == 'K' || kind == 'O') {
            TupleData old = tuple(in);
            oldKey = kind == 'K' ? old : null;
            oldRow = kind == 'O' ? old : null;
            kind = (char) in.get();
        }
        if (kind != 'N') {
            throw new PgOutputException("update of " + relation.qualifiedName() + ": expected 'N', got '" + kind + "'");
        }
        return new PgOutputMessage.Update(relation, oldKey, oldRow, tuple(in));
    }

    private PgOutputMessage.Delete delete(ByteBuffer in) {
        Relation relation = relations.relation(unsigned(in.getInt()));
        char kind = (char) in.get();
        if (kind != 'K' && kind != 'O') {
            throw new PgOutputException("delete of " + relation.qualifiedName() + ": expected 'K' or 'O', got '" + kind + "'");
        }
        TupleData old = tuple(in);
        return new PgOutputMessage.Delete(relation, kind == 'K' ? old : null, kind == 'O' ? old : null);
    }

    private PgOutputMessage.Truncate truncate(ByteBuffer in) {
        int count = in.getInt();
        int options = in.get();
        List<Relation> truncated = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            truncated.add(relations.relation(unsigned(in.getInt())));
        }
        return new PgOutputMessage.Truncate(truncated, (options & 1) != 0, (options & 2) != 0);
    }

    private static PgOutputMessage.LogicalMessage message(ByteBuffer in) {
        boolean transactional = (in.get() & 1) != 0;
        long lsn = in.getLong();
        String prefix = string(in);
        byte[] content = new byte[in.getInt()];
        in.get(content);
        return new PgOutputMessage.LogicalMessage(transactional, lsn, prefix, content);
    }

    private static TupleData tuple(ByteBuffer in) {
        int count = Short.toUnsignedInt(in.getShort());
        List<TupleValue> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            char kind = (char) in.get();
            values.add(switch (kind) {
                case 'n' -> TupleValue.NULL;
                case 'u' -> TupleValue.UNCHANGED_TOAST;
                case 't' -> new TupleValue.Text(bytes(in));
                case 'b' -> new TupleValue.Binary(bytes(in));
                default -> throw new PgOutputException("column " + (i + 1) + " of a row: unknown kind '" + kind + "'");
            });
        }
        return new TupleData(values);
    }

    private static void expect(ByteBuffer in, char expected, String what) {
        char kind = (char) in.get();
        if (kind != expected) {
            throw new PgOutputException(what + ": expected '" + expected + "', got '" + kind + "'");
        }
    }

    private static byte[] bytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new PgOutputException("value of " + length + " bytes, " + in.remaining() + " left in the message");
        }
        byte[] value = new byte[length];
        in.get(value);
        return value;
    }

    /** A NUL-terminated string, in the connection's client encoding (UTF-8). */
    private static String string(ByteBuffer in) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte b = in.get(); b != 0; b = in.get()) {
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Instant timestamp(ByteBuffer in) {
        return POSTGRES_EPOCH.plus(in.getLong(), ChronoUnit.MICROS);
    }

    private static long unsigned(int value) {
        return Integer.toUnsignedLong(value);
    }
}

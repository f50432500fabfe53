package io.pgturso.libsql.hrana;

import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Flow;

/**
 * A request's JSON written once into one array, sized by the client's last request, and handed to the HTTP client as
 * it is: no builder's chunks, no copy to an exact array, no copy into the client's buffers (the JDK's byte-array body
 * copies it). A batch of a page is about 0.7 MB: three copies of it per request were a tenth of the bytes a cold
 * backfill allocated.
 */
final class RequestBody extends OutputStream {
    private byte[] bytes;
    private int length;

    RequestBody(int capacity) {
        bytes = new byte[Math.max(256, capacity)];
    }

    @Override
    public void write(int b) {
        room(1);
        bytes[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        room(len);
        System.arraycopy(b, off, bytes, length, len);
        length += len;
    }

    int length() {
        return length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** The body with its Content-Length (the local server refuses chunked bodies); each subscriber reads it anew. */
    HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.fromPublisher(new Whole(bytes, length), length);
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /** Publishes the array as one buffer (the client only reads it), then completes. */
    private record Whole(byte[] bytes, int length) implements Flow.Publisher<ByteBuffer> {
        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private boolean done;

                @Override
                public void request(long n) {
                    synchronized (this) {
                        if (done) {
                            return;
                        }
                        done = true;
                    }
                    if (n <= 0) {
                        subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
                        return;
                    }
                    subscriber.onNext(ByteBuffer.wrap(bytes, 0, length));
                    subscriber.onComplete();
                }

                @Override
                public synchronized void cancel() {
                    done = true;
                }
            });
        }
    }
}

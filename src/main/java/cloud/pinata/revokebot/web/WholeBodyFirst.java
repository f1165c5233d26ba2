package cloud.pinata.revokebot.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Reads a request's whole body before any handler runs, without a thread: Jetty calls back as bytes arrive, each
 * chunk is copied into one buffer of at most {@code maxBytes} and released at once, and only the complete body is
 * handed on (as one in-memory chunk). A slow client therefore holds a connection and at most {@code maxBytes} of
 * memory, never one of the web server's threads, and a body over the cap gets 413 before anything reads it.
 *
 * <p>Jetty's own {@code RetainedContentLoaderFactory} does the same by keeping every chunk: a body trickled in tiny
 * chunks would keep a whole network buffer per chunk. Copying bounds the memory by the body's size.
 */
final class WholeBodyFirst implements EagerContentHandler.ContentLoaderFactory {
    private final int maxBytes;

    WholeBodyFirst(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Every content type: Slack's forms are signed as raw bytes, so they must not be parsed here. */
    @Override
    public String getApplicableMimeType() {
        return null;
    }

    @Override
    public EagerContentHandler.ContentLoader newContentLoader(
            String contentType,
            String mimeType,
            Handler handler,
            Request request,
            Response response,
            Callback callback) {
        return new Loader(handler, request, response, callback, maxBytes);
    }

    private static final class Loader extends EagerContentHandler.ContentLoader implements Invocable.Task {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final int maxBytes;

        Loader(Handler handler, Request request, Response response, Callback callback, int maxBytes) {
            super(handler, request, response, callback);
            this.maxBytes = maxBytes;
        }

        @Override
        protected void load() {
            read(false);
        }

        /** Called by Jetty when more content can be read. */
        @Override
        public void run() {
            read(true);
        }

        /** Never blocks: it copies what has arrived and asks to be called again. */
        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        private void read(boolean calledBack) {
            while (true) {
                var chunk = getRequest().read();
                if (chunk == null) {
                    getRequest().demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    // The minimum data rate was missed (408), or the body is broken (400): logged once, by
                    // LoggedErrors.
                    var failure = chunk.getFailure();
                    var slow = failure instanceof java.util.concurrent.TimeoutException;
                    Response.writeError(
                            getRequest(),
                            getResponse(),
                            getCallback(),
                            slow ? HttpStatus.REQUEST_TIMEOUT_408 : HttpStatus.BAD_REQUEST_400,
                            "body "
                                    + (failure == null || failure.getMessage() == null
                                            ? "failed"
                                            : failure.getMessage()));
                    return;
                }
                var bytes = chunk.getByteBuffer();
                var last = chunk.isLast();
                if (body.size() + bytes.remaining() > maxBytes) {
                    chunk.release();
                    Response.writeError(
                            getRequest(),
                            getResponse(),
                            getCallback(),
                            HttpStatus.PAYLOAD_TOO_LARGE_413,
                            "body over " + maxBytes + " bytes");
                    return;
                }
                var copy = new byte[bytes.remaining()];
                bytes.get(copy);
                body.write(copy, 0, copy.length);
                chunk.release();
                if (last) {
                    var complete = new WholeBody(getRequest(), body.toByteArray());
                    if (calledBack) {
                        // From Jetty's callback: the (blocking) handler gets a thread of its own.
                        getRequest().getContext().execute(() -> handle(complete, getResponse(), getCallback()));
                    } else {
                        handle(complete, getResponse(), getCallback());
                    }
                    return;
                }
            }
        }
    }

    /** The request as the handlers see it: its body, complete, as a single last chunk. */
    private static final class WholeBody extends Request.Wrapper {
        private Content.Chunk next;

        WholeBody(Request request, byte[] body) {
            super(request);
            this.next = Content.Chunk.from(ByteBuffer.wrap(body), true);
        }

        @Override
        public Content.Chunk read() {
            var chunk = next;
            next = Content.Chunk.EOF;
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }
    }
}

package dev.argon.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client for the S3 store that fails chosen requests (a connection reset before or after the server
 * acts, or S3's 503 SlowDown) and passes the rest to a real client. Counts every request. Thread-safe.
 */
final class FaultyHttpClient implements SdkHttpClient {

    enum Fault {
        /** The connection breaks before the request reaches the server. */
        RESET,
        /** The server answers 503 SlowDown. */
        SLOW_DOWN,
        /** The server carries the request out, then the connection breaks before the reply arrives. */
        LOST_REPLY
    }

    private final SdkHttpClient delegate;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile Predicate<SdkHttpRequest> which = r -> true;
    private volatile Fault fault = Fault.RESET;
    final AtomicInteger requests = new AtomicInteger();
    /** Every request, in order, faulted or not. */
    final List<SdkHttpRequest> seen = new CopyOnWriteArrayList<>();

    FaultyHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    /** The next {@code n} requests that {@code which} matches fail with {@code fault}. */
    void failNext(int n, Fault fault, Predicate<SdkHttpRequest> which) {
        this.fault = fault;
        this.which = which;
        failures.set(n);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        requests.incrementAndGet();
        seen.add(request.httpRequest());
        if (which.test(request.httpRequest()) && failures.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
            Fault f = fault;
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    if (f == Fault.LOST_REPLY) {
                        HttpExecuteResponse done = delegate.prepareRequest(request).call();
                        if (done.responseBody().isPresent()) {
                            done.responseBody().get().close();
                        }
                        throw new IOException("injected: connection reset before the reply");
                    }
                    if (f == Fault.RESET) {
                        throw new IOException("injected: connection reset");
                    }
                    byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                            + "<Message>Please reduce your request rate.</Message></Error>").getBytes(StandardCharsets.UTF_8);
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(503).statusText("Slow Down")
                                    .putHeader("Content-Type", "application/xml")
                                    .putHeader("Content-Length", Integer.toString(body.length)).build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }
        return delegate.prepareRequest(request);
    }

    @Override
    public String clientName() {
        return "faulty-" + delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

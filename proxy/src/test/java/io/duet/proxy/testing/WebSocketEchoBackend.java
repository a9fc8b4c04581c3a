package io.duet.proxy.testing;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** A real WebSocket server on 127.0.0.1 and an ephemeral port that echoes every text message. */
public final class WebSocketEchoBackend implements AutoCloseable {
    private final Undertow server;
    private final AtomicInteger upgrades = new AtomicInteger();

    private WebSocketEchoBackend() {
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setHandler(Handlers.websocket((exchange, channel) -> {
                    upgrades.incrementAndGet();
                    channel.getReceiveSetter().set(new AbstractReceiveListener() {
                        @Override
                        protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                            WebSockets.sendText(message.getData(), ch, null);
                        }
                    });
                    channel.resumeReceives();
                }))
                .build();
        server.start();
    }

    public static WebSocketEchoBackend start() {
        return new WebSocketEchoBackend();
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** WebSocket handshakes completed. */
    public int upgrades() {
        return upgrades.get();
    }

    @Override
    public void close() {
        server.stop();
    }
}

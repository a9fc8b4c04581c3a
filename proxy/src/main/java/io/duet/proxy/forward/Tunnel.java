package io.duet.proxy.forward;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Transfer;
import org.xnio.ChannelExceptionHandler;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;

/**
 * An upgraded exchange (the server answered 101): the client and server connections joined byte for byte until
 * either closes. Stateless; runs on the exchange's I/O thread. Allocates only for upgrades.
 */
final class Tunnel {
    private Tunnel() {
    }

    /**
     * Upgrades the client connection and joins it to {@code backend}, first writing {@code pending} (bytes the
     * server sent right after its 101, or {@code null}); ends the exchange.
     */
    static void open(HttpServerExchange exchange, StreamConnection backend, ByteBuffer pending) {
        exchange.upgradeChannel((client, ex) -> {
            if (pending != null) {
                try {
                    while (pending.hasRemaining()) {
                        if (client.getSinkChannel().write(pending) == 0) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    IoUtils.safeClose(client, backend);
                    return;
                }
                if (pending.hasRemaining()) {
                    // Rare: bytes the server sent right after its 101 that the client cannot take at once.
                    IoUtils.safeClose(client, backend);
                    return;
                }
            }
            join(backend, client, ex);
        });
        exchange.endExchange();
    }

    private static void join(StreamConnection backend, StreamConnection client, HttpServerExchange ex) {
        ChannelListener<StreamSinkChannel> sinkDone = ChannelListeners.writeShutdownChannelListener(
                ChannelListeners.<StreamSinkChannel>flushingChannelListener(ChannelListeners.closingChannelListener(),
                        ChannelListeners.closingChannelExceptionHandler()),
                ChannelListeners.closingChannelExceptionHandler());
        ChannelExceptionHandler<Channel> closeBoth = (ch, e) -> IoUtils.safeClose(backend, client);
        Transfer.initiateTransfer(backend.getSourceChannel(), client.getSinkChannel(),
                ChannelListeners.closingChannelListener(), sinkDone, closeBoth, closeBoth,
                ex.getConnection().getByteBufferPool());
        Transfer.initiateTransfer(client.getSourceChannel(), backend.getSinkChannel(),
                ChannelListeners.closingChannelListener(), sinkDone, closeBoth, closeBoth,
                ex.getConnection().getByteBufferPool());
    }
}

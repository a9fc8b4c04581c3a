package io.duet.proxy.forward;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How each forwarding failure is answered: its status and the message of the error page. */
class ForwardFailureTest {

    @Test
    void statuses() {
        assertThat(ForwardFailure.NO_SERVER.status()).isEqualTo(503);
        assertThat(ForwardFailure.QUEUE_FULL.status()).isEqualTo(503);
        assertThat(ForwardFailure.QUEUE_TIMEOUT.status()).isEqualTo(503);
        assertThat(ForwardFailure.CONNECT_TIMEOUT.status()).isEqualTo(504);
        assertThat(ForwardFailure.RESPONSE_TIMEOUT.status()).isEqualTo(504);
        assertThat(ForwardFailure.CONNECT_FAILED.status()).isEqualTo(502);
        assertThat(ForwardFailure.NOT_RETRIED.status()).isEqualTo(502);
        assertThat(ForwardFailure.NONE.status()).isEqualTo(502);
    }

    @Test
    void onlyTheWantOfAServerIsNoServer() {
        for (ForwardFailure f : ForwardFailure.values()) {
            assertThat(f.noServer()).as(f.name()).isEqualTo(f.status() == 503);
        }
    }

    @Test
    void messagesNameThePoolAndTheLastServerWhenThereIsOne() {
        assertThat(ForwardFailure.NO_SERVER.message("web", null)).isEqualTo("pool 'web': no server is up");
        assertThat(ForwardFailure.QUEUE_FULL.message("web", null))
                .isEqualTo("pool 'web': every server is at its request limit and the queue is full");
        assertThat(ForwardFailure.QUEUE_TIMEOUT.message("web", null))
                .isEqualTo("pool 'web': every server stayed at its request limit for the whole queue timeout");
        assertThat(ForwardFailure.CONNECT_TIMEOUT.message("web", null))
                .isEqualTo("pool 'web': connecting to the server timed out");
        assertThat(ForwardFailure.RESPONSE_TIMEOUT.message("web", null))
                .isEqualTo("pool 'web': the server did not answer in time");
        assertThat(ForwardFailure.NOT_RETRIED.message("web", null))
                .isEqualTo("pool 'web': the server failed before answering");
    }
}

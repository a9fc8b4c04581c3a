package io.duet.proxy.forward;

import org.xnio.XnioIoThread;

import java.util.concurrent.TimeUnit;

/**
 * The response deadlines of the requests in flight on one I/O thread: an intrusive list swept every
 * {@link #TICK_MS} while it is not empty. Arming and disarming a deadline is two pointer writes, where an XNIO timer
 * per request costs a lock, a tree insertion and an allocation. A deadline fires up to one tick late.
 *
 * <p>Threads: one instance per I/O thread, touched only by that thread.
 */
final class ResponseDeadlines implements Runnable {
    /** Sweep period; the resolution of response timeouts. */
    static final long TICK_MS = 50;

    private static final ThreadLocal<ResponseDeadlines> LOCAL = new ThreadLocal<>();

    private final XnioIoThread thread;
    private ForwardState head;
    private ForwardState tail;
    private boolean scheduled;

    private ResponseDeadlines(XnioIoThread thread) {
        this.thread = thread;
    }

    /** The deadlines of the calling I/O thread. */
    static ResponseDeadlines of(XnioIoThread thread) {
        ResponseDeadlines d = LOCAL.get();
        if (d == null || d.thread != thread) {
            d = new ResponseDeadlines(thread);
            LOCAL.set(d);
        }
        return d;
    }

    void arm(ForwardState st, long deadlineNanos) {
        st.deadlineNanos = deadlineNanos;
        st.deadlines = this;
        st.prevDeadline = tail;
        st.nextDeadline = null;
        if (tail == null) {
            head = st;
        } else {
            tail.nextDeadline = st;
        }
        tail = st;
        if (!scheduled) {
            scheduled = true;
            thread.executeAfter(this, TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    void disarm(ForwardState st) {
        if (st.deadlines != this) {
            return;
        }
        ForwardState p = st.prevDeadline;
        ForwardState n = st.nextDeadline;
        if (p == null) {
            head = n;
        } else {
            p.nextDeadline = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prevDeadline = p;
        }
        st.prevDeadline = null;
        st.nextDeadline = null;
        st.deadlines = null;
    }

    /** The sweep: fires every deadline that passed. */
    @Override
    public void run() {
        long now = System.nanoTime();
        ForwardState st = head;
        while (st != null) {
            ForwardState next = st.nextDeadline;
            if (now - st.deadlineNanos >= 0) {
                disarm(st);
                st.responseTimedOut();
            }
            st = next;
        }
        if (head != null) {
            thread.executeAfter(this, TICK_MS, TimeUnit.MILLISECONDS);
        } else {
            scheduled = false;
        }
    }
}

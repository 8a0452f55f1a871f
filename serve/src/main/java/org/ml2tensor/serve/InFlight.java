package org.ml2tensor.serve;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts requests that were accepted and not yet answered, and refuses new ones once draining starts,
 * so that a shutdown can wait until every accepted request has its response.
 */
public final class InFlight {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int count;
    private long admitted;
    private boolean draining;

    /** Admits a request unless draining; every admitted request must call {@link #exit()} exactly once. */
    public boolean enter() {
        lock.lock();
        try {
            if (draining) {
                return false;
            }
            count++;
            admitted++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    public void exit() {
        lock.lock();
        try {
            if (--count == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    public int count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Requests admitted since start (answered or not). */
    public long admitted() {
        lock.lock();
        try {
            return admitted;
        } finally {
            lock.unlock();
        }
    }

    public boolean draining() {
        lock.lock();
        try {
            return draining;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new requests from now on and waits until the admitted ones have exited; false on timeout. */
    public boolean drain(long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            draining = true;
            long left = unit.toNanos(timeout);
            while (count > 0) {
                if (left <= 0) {
                    return false;
                }
                left = idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}

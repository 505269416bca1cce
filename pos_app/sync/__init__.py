"""Outbox worker, HTTP transport, change-feed puller and reconciler (DESIGN.md "Sync protocol").

Public API (kept stable for the till, the console, the tests and ``bench sync``)::

    # composition: commands/sync_runtime.py enrols a data folder, the composition root
    # (commands/composition.py) builds the worker and the puller on its store
    store = enrol_data_dir(data_dir, server_url, code, token_choice="keyring" | "file:PATH")
    runtime = start_sync(store, data_dir, server_url=None, batch_size=500, idle_poll=2.0)
    runtime.worker.start()            # background thread; never the GUI thread
    runtime.worker.wake()             # retry now: an operation was queued / network is back
    runtime.worker.wait_idle(timeout) # True once the queue is empty and reconciled;
                                      # False on timeout or a fatal stop
    runtime.worker.drain_once()       # one synchronous drain + reconcile in the caller's
                                      # thread (raises transport.Unreachable / worker.SyncFatal)
    runtime.worker.push_now(op_id, timeout) -> OpVerdict | None   # what holds wait on
    runtime.state.snapshot            # SyncSnapshot: online, offline_since, waiting,
                                      # oldest_waiting_at, last_sync, last_error, fatal, sending
    runtime.state.subscribe(fn)       # fn(SyncSnapshot) after every change (worker's thread)
    runtime.queue.items()             # reconciliation items (rejected / conflict) for managers
    runtime.sales / .payments / .points   # the till's services on the same store
    runtime.close()                   # stops the worker (releases the sender lock), closes

Pieces: ``worker.OutboxWorker(queue, transport, state=, lock=, batch_size=, backoff=,
idle_poll=, refresh=, heartbeat=, probe_every=, liveness=)`` (``refresh(stop: Event) -> bool``: the
account refresh after reconciliation, True when complete; it should stop between pages once
``stop`` is set);
``transport.HttpTransport(base_url, token, timeout=(3.05, 30), trust=ServerTrust())`` (every
client's session comes from ``server_link.new_session``: plain http:// only to loopback unless
``insecure``, certificates checked against ``ca_cert`` or the system's CAs) with
``push(ops) -> PushAnswer``, ``reconcile(last_seq, open_hold_ids) -> released ids``,
``enrol(code) -> (terminal_id, token)``; ``wire.wire_op(entry)`` (outbox row -> wire op);
``state.SyncState``; ``backoff.Backoff(base, cap, rand=)``; ``sender_lock.SenderLock(path)``
(one sender per data folder across processes); ``enrolment`` (keyring / explicit file token
stores); ``puller.FeedPuller`` (change feed, sync-proofs); ``order_stream`` / ``order_actions``
(the console's stream and action sender, which shares ``order_actions.sender_lock``).

The store is reached only through services (``pos_app.services.sync_queue.SyncQueue``,
``feed.FeedService``): this package never imports ``pos_app.db``.
"""

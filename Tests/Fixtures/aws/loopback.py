"""How every test server of sg-provisioner runs (stubs, the fault proxy): on 127.0.0.1, on a
port the kernel picks, announced as one "PORT <n>" line on stdout (the Swift side reads it, which
also proves the server listens), and gone when SIGTERM arrives or its parent process does, so a
crashed test run leaves no server behind."""
import os
import signal
import threading
import time


def _exit_with_parent(parent):
    while True:
        if os.getppid() != parent:
            os._exit(0)
        time.sleep(0.5)


def serve(make_server):
    """Creates the server with make_server(("127.0.0.1", 0)), prints its port and serves forever."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    server = make_server(("127.0.0.1", 0))
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()

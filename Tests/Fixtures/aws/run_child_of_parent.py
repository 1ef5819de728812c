#!/usr/bin/env python3
"""Runs a command (scripts/local-aws) and kills it when the parent test process goes away.

Usage: run_child_of_parent.py COMMAND [ARGS...]
The test process also stops it explicitly at exit; this watchdog covers crashes and
interrupted runs so no server outlives its test process.
"""
import os
import signal
import subprocess
import sys
import time

# The launching test process may have SIGTERM blocked and the mask is inherited;
# unblock it so Process.terminate() actually stops us.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
parent = os.getppid()
child = subprocess.Popen(sys.argv[1:])


def stop(*_):
    child.terminate()
    try:
        child.wait(timeout=5)
    except subprocess.TimeoutExpired:
        child.kill()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
while child.poll() is None:
    if os.getppid() != parent:
        stop()
    time.sleep(0.5)
sys.exit(child.returncode)

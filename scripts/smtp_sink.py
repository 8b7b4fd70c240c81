#!/usr/bin/python3
"""SMTP sink for the local stack and the tests: accepts every mail and stores it.

Each message is written exactly as received (the DATA, dot-unstuffed) to
DIR/<UTC yyyymmddTHHMMSS.ffffff>-<seq>.eml, via a .tmp file and rename, so a
reader globbing *.eml never sees half a mail. The envelope goes to stderr, one
line per mail. SIGTERM or SIGINT stops it with exit 0. Each file is fsynced
unless --no-fsync (bench/run mailer: a new file's fsync costs about 10 ms on
our VMs and would make the sink, not the mailer, the limit).
Run with Debian's /usr/bin/python3 (python3-aiosmtpd), not a pyenv python.
"""
import argparse
import datetime
import itertools
import os
import signal
import sys

from aiosmtpd.controller import Controller


def log(message):
    print(f"smtp_sink: {message}", file=sys.stderr, flush=True)


class StoreHandler:
    def __init__(self, directory, fsync=True):
        self.directory = directory
        self.fsync = fsync
        self.sequence = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S.%f")
        name = f"{stamp}-{next(self.sequence):06d}.eml"
        path = os.path.join(self.directory, name)
        data = envelope.original_content
        if data is None:
            data = envelope.content
        with open(path + ".tmp", "wb") as out:
            out.write(data)
            out.flush()
            if self.fsync:
                os.fsync(out.fileno())
        os.rename(path + ".tmp", path)
        rcpts = ",".join(f"<{r}>" for r in envelope.rcpt_tos)
        log(f"from=<{envelope.mail_from}> to={rcpts} file={name} bytes={len(data)}")
        return "250 OK: stored"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--no-fsync", action="store_true", help="do not fsync each mail file")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    # Block the stop signals before the server thread starts (threads inherit
    # the mask), then wait for one of them in the main thread.
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)

    controller = Controller(StoreHandler(args.dir, fsync=not args.no_fsync), hostname=args.host, port=args.port,
                            enable_SMTPUTF8=True)
    try:
        controller.start()  # returns once the port accepts connections
    except Exception as error:  # bind failure, port in use
        log(f"cannot listen on {args.host}:{args.port}: {error}")
        return 1
    log(f"listening on {args.host}:{args.port}, writing to {args.dir}")
    received = signal.sigwait(stop_signals)
    controller.stop()
    log(f"stopped by {signal.Signals(received).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

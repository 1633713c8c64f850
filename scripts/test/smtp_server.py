#!/usr/bin/env python3
"""A real SMTP server on loopback for the tests of `tandem send` (Tests/TandemKitTests/SendTests.swift).

aiosmtpd (Debian python3-aiosmtpd, or PyPI) with STARTTLS or implicit TLS, AUTH PLAIN/LOGIN (only over TLS), and a
few ways to misbehave. Every accepted message is stored as <maildir>/<n>.eml (the bytes as received) and
<maildir>/<n>.json (envelope: mail_from, rcpt_tos). Prints "READY <port>" on stdout when it accepts connections.

  --cert/--key        a certificate for STARTTLS (required before AUTH), or with --implicit-tls for TLS from the start
  --user/--password   the only login accepted (535 otherwise)
  --reject ADDRESS    answer RCPT TO:<ADDRESS> with 550 (repeatable)
  --stall-at N        hold the N-th MAIL FROM for 120 s (writes <maildir>/stalled first), so a test can kill the client
                      before the message was handed over
  --stall-data-at N   store the N-th message, then hold the reply to its end for 120 s (writes <maildir>/stalled):
                      the message arrived, but the client never hears so
"""
import argparse
import asyncio
import json
import os
import socket
import ssl
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, args):
        self.args = args
        self.mails = 0
        self.accepted = 0
        self.lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            self.mails += 1
            number = self.mails
        if self.args.stall_at and number == self.args.stall_at:
            open(os.path.join(self.args.maildir, "stalled"), "w").close()
            await asyncio.sleep(120)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.args.reject:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.accepted += 1
            number = self.accepted
        base = os.path.join(self.args.maildir, "%03d" % number)
        with open(base + ".json.tmp", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".eml.tmp", base + ".eml")
        os.rename(base + ".json.tmp", base + ".json")
        if self.args.stall_data_at and number == self.args.stall_data_at:
            open(os.path.join(self.args.maildir, "stalled"), "w").close()
            await asyncio.sleep(120)
        return "250 2.0.0 Ok: queued as TEST%03d" % number


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login == self.user and auth_data.password == self.password:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--stall-at", type=int, default=0)
    parser.add_argument("--stall-data-at", type=int, default=0)
    args = parser.parse_args()
    args.reject = [r.lower() for r in args.reject]
    os.makedirs(args.maildir, exist_ok=True)

    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    kwargs = {}
    if args.user:
        kwargs["authenticator"] = Authenticator(args.user, args.password or "")
        kwargs["auth_required"] = True
        # aiosmtpd does not count TLS from the first byte as TLS: there, the connection is encrypted anyway.
        kwargs["auth_require_tls"] = not args.implicit_tls
    if context and not args.implicit_tls:
        kwargs["tls_context"] = context
        kwargs["require_starttls"] = True
    port = free_port()
    controller = Controller(
        Handler(args), hostname="127.0.0.1", port=port,
        ssl_context=context if args.implicit_tls else None, server_hostname="127.0.0.1", **kwargs)
    controller.start()
    print("READY %d" % port, flush=True)
    try:
        # Until stdin closes (the test ended or died) or a signal stops us.
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()

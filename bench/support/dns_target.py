"""A DNS server for the dns-check benchmark, in its own process: every name under
`bench.test` answers one A record.

    python bench/support/dns_target.py PORT
"""

from __future__ import annotations

import sys
import time

from dnslib import QTYPE, RCODE, RR, A
from dnslib.server import BaseResolver, DNSLogger, DNSServer


class _Answers(BaseResolver):
    def resolve(self, request, handler):  # noqa: ANN001  (dnslib's interface)
        reply = request.reply()
        name = str(request.q.qname)
        if not name.endswith("bench.test.") or QTYPE[request.q.qtype] != "A":
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        reply.add_answer(RR(name, QTYPE.A, rdata=A("10.0.0.1"), ttl=60))
        return reply


def main() -> None:
    server = DNSServer(
        _Answers(),
        address="127.0.0.1",
        port=int(sys.argv[1]),
        logger=DNSLogger(logf=lambda _: None),
    )
    server.start_thread()
    while server.isAlive():
        time.sleep(1)


if __name__ == "__main__":
    main()

"""An aiosmtpd handler that stores every received message for tests.

Run as: /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.MaildirSink DIR
(with this directory on PYTHONPATH). Each DATA transaction becomes NNNNNN.eml (the raw
message bytes as received, after SMTP dot-unstuffing) and NNNNNN.env (line 1: MAIL FROM,
following lines: RCPT TO). The .eml is renamed into place last, after the .env, and before the
server answers 250, so a client that got its reply finds the message complete.
"""

import os


class MaildirSink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        os.makedirs(directory, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("MaildirSink takes exactly one argument: the output directory")
        return cls(args[0])

    def _write(self, name, data):
        temp = os.path.join(self.directory, "." + name + ".tmp")
        with open(temp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, os.path.join(self.directory, name))

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        stem = "%06d" % self.count
        envelope_lines = [envelope.mail_from or ""] + list(envelope.rcpt_tos)
        self._write(stem + ".env", ("\n".join(envelope_lines) + "\n").encode("utf-8"))
        content = envelope.original_content
        if content is None:
            content = envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        self._write(stem + ".eml", content)
        return "250 Message accepted for delivery"

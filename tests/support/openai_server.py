"""A chat-completions server on 127.0.0.1 (http.server in a thread) for the openai backend's
tests: it answers the offered label at index (number of audio samples mod the number of
labels), both read back from the request, unless a failure plan says otherwise."""

from __future__ import annotations

import base64
import io
import json
import re
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import soundfile as sf


class Server:
    """A chat-completions endpoint; ``fail(n_samples, nth_request)`` picks an error status."""

    def __init__(self):
        self.fail = lambda n_samples, nth: None
        self.blank = lambda n_samples: False
        self.requests: Counter[int] = Counter()
        self.lock = threading.Lock()
        self.bodies: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                content = body["messages"][0]["content"]
                wav = next(c for c in content if c["type"] == "input_audio")["input_audio"]
                text = next(c for c in content if c["type"] == "text")["text"]
                samples, rate = sf.read(io.BytesIO(base64.b64decode(wav["data"])))
                with server.lock:
                    server.bodies.append(body)
                    server.requests[len(samples)] += 1
                    nth = sum(server.requests.values())
                status = server.fail(len(samples), nth)
                if status:
                    return self._send(status, {"error": {"message": "planned failure"}})
                labels = re.search(r"following list: (.*?)\. Do not", text)[1].split(", ")
                answer = "" if server.blank(len(samples)) else labels[len(samples) % len(labels)]
                self._send(200, {
                    "id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": f" {answer}\n"}}],
                })

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving and release the port."""
        self.httpd.shutdown()
        self.httpd.server_close()

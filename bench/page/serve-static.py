#!/usr/bin/env python3
"""Serves a page folder (Static/ of any commit) in front of a running `loupe run`, so two versions
of the page can be measured against the same daemon without rebuilding the binary that embeds it.

Usage: bench/page/serve-static.py STATIC_DIR DAEMON_URL PORT
Everything under /api/ goes to the daemon (the event stream is passed through as it arrives);
any other path is a file of STATIC_DIR ("/" is index.html).
"""
import http.server
import mimetypes
import os
import sys
import urllib.error
import urllib.request

STATIC, DAEMON, PORT = sys.argv[1], sys.argv[2].rstrip("/"), int(sys.argv[3])
TYPES = {".js": "text/javascript; charset=utf-8", ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.route()

    def do_POST(self):
        self.route()

    def do_DELETE(self):
        self.route()

    def route(self):
        if self.path.startswith("/api/"):
            self.proxy()
        else:
            self.file()

    def file(self):
        name = self.path.split("?")[0].split("#")[0].lstrip("/") or "index.html"
        path = os.path.realpath(os.path.join(STATIC, name))
        if not path.startswith(os.path.realpath(STATIC) + os.sep) or not os.path.isfile(path):
            self.send_error(404)
            return
        body = open(path, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(os.path.splitext(name)[1]) or mimetypes.guess_type(name)[0] or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def proxy(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        request = urllib.request.Request(DAEMON + self.path, data=body, method=self.command)
        for key in ("Authorization", "Content-Type", "Accept"):
            if self.headers.get(key):
                request.add_header(key, self.headers[key])
        try:
            response = urllib.request.urlopen(request, timeout=3600)
        except urllib.error.HTTPError as e:
            response = e
        streaming = (response.headers.get("Content-Type") or "").startswith("text/event-stream")
        self.send_response(response.status)
        for key, value in response.headers.items():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        if streaming:
            self.send_header("Connection", "close")
            self.end_headers()
            while chunk := response.read1(65536):
                self.wfile.write(chunk)
                self.wfile.flush()
            return
        data = response.read()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, address):
        # A browser that closes the event stream or quits mid-response is no error here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, address)


Server(("127.0.0.1", PORT), Handler).serve_forever()

#!/usr/bin/env python3
"""Differential check: the same odd HTTP/1.1 requests sent to Gantry, HAProxy and nginx, side by side.

Each proxy (on 127.0.0.1) sits in front of its own recording backend, which parses what reaches it the
way a strict origin would (Transfer-Encoding: chunked before Content-Length), records every request line
it can frame (with its Transfer-Encoding, Content-Length, and Host when it is not example.com), answers the first request 200 with "Connection: close", then keeps reading for a moment to
catch anything sent after it (a smuggled request shows up there) and closes. For every case file
(cases/*.http, raw bytes, CRLF exact) it prints what each proxy answered (status codes, or "closed" /
"silent") and what its backend received, and flags the cases where Gantry forwarded more requests than the
stricter of HAProxy and nginx.

Run by run.sh, which installs HAProxy and nginx and builds the proxy jar when they are missing.
"""
import argparse
import glob
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

BIND = "127.0.0.1"


# ------------------------------------------------------------------------------------------ backend

class Recorder:
    """A backend on one port that records the requests it can frame, per case."""

    def __init__(self, port):
        self.port = port
        self.lock = threading.Lock()
        self.records = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((BIND, port))
        self.sock.listen(128)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _record(self, what):
        with self.lock:
            self.records.append(what)

    def take(self):
        with self.lock:
            out, self.records = self.records, []
        return out

    def _serve(self, conn):
        buf = b""
        answered = False
        deadline = None
        conn.settimeout(0.2)
        try:
            while True:
                while True:
                    parsed = frame_request(buf)
                    if parsed is None:
                        break
                    line, consumed, note = parsed
                    self._record(line + (" " + note if note else ""))
                    buf = buf[consumed:]
                    if not answered:
                        answered = True
                        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                        deadline = time.monotonic() + 0.5
                if deadline is not None and time.monotonic() > deadline:
                    break
                try:
                    data = conn.recv(65536)
                except socket.timeout:
                    if deadline is None and buf == b"":
                        continue
                    if deadline is None:
                        deadline = time.monotonic() + 1.0
                    continue
                except OSError:
                    break
                if not data:
                    break
                buf += data
        finally:
            if buf.strip(b"\r\n"):
                self._record("partial(%d bytes): %s" % (len(buf), short(buf)))
            try:
                conn.close()
            except OSError:
                pass


def short(b, n=40):
    s = repr(b[:n])[2:-1]
    return s + ("..." if len(b) > n else "")


def frame_request(buf):
    """(request line, bytes consumed, note) of the first complete request in buf, or None."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = buf[:end].decode("latin-1")
    lines = head.split("\r\n")
    request_line = lines[0]
    te, cls, hosts = [], [], []
    for l in lines[1:]:
        if ":" not in l:
            continue
        name, value = l.split(":", 1)
        if name.strip().lower() == "transfer-encoding":
            te.append(value.strip())
        elif name.strip().lower() == "content-length":
            cls.append(value.strip())
        elif name.strip().lower() == "host":
            hosts.append(value.strip())
    pos = end + 4
    notes = []
    if hosts != ["example.com"]:
        notes.append("Host=" + ",".join(hosts) if hosts else "no Host")
    if te:
        notes.append("TE=" + ",".join(te))
    if cls:
        notes.append("CL=" + ",".join(cls))
    if any("chunked" in t.lower() for t in te):
        while True:
            eol = buf.find(b"\r\n", pos)
            if eol < 0:
                return None
            size_text = buf[pos:eol].split(b";")[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                return request_line, len(buf), "[bad chunk size %s]" % short(size_text)
            pos = eol + 2
            if size == 0:
                while True:
                    eol = buf.find(b"\r\n", pos)
                    if eol < 0:
                        return None
                    if eol == pos:
                        pos += 2
                        break
                    pos = eol + 2
                break
            if len(buf) < pos + size + 2:
                return None
            pos += size + 2
    elif cls:
        try:
            n = int(cls[0])
        except ValueError:
            n = 0
        if len(buf) < pos + n:
            return None
        pos += n
    return request_line, pos, ("{" + " ".join(notes) + "}") if notes else ""


# ------------------------------------------------------------------------------------------ proxies

def haproxy_cfg(port, backend):
    # As the benchmark anchors configure HAProxy.
    return f"""global
    nbthread 1
    maxconn 8000
defaults
    mode http
    timeout connect 5s
    timeout client 50s
    timeout server 50s
    option http-keep-alive
    http-reuse always
backend be_http
    server s1 {BIND}:{backend}
frontend fe_http
    bind {BIND}:{port}
    default_backend be_http
"""


def nginx_cfg(port, backend, work):
    temps = "".join(f"    {t}_temp_path {work}/{t}_temp;\n" for t in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As the benchmark anchors configure nginx.
    return f"""daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
worker_processes 1;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    keepalive_timeout 120s; keepalive_requests 100000000;
{temps}    upstream be {{ server {BIND}:{backend}; keepalive 256; }}
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    server {{ listen {BIND}:{port} backlog=4096; location / {{ proxy_pass http://be; }} }}
}}
"""


def gantry_yaml(port, backend):
    return f"""apiVersion: gantry.dev/v1alpha1
kind: LoadBalancer
metadata: {{name: differential}}
spec:
  listeners: [{{name: http, port: {port}, protocol: HTTP, defaultBackend: recorder}}]
  backends: [{{name: recorder, endpoints: [{{address: {BIND}, port: {backend}}}]}}]
"""


class Proxy:
    def __init__(self, name, port, cmd, work):
        self.name, self.port = name, port
        self.log = open(os.path.join(work, name + ".log"), "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)

    def wait_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.proc.returncode}; see its log")
            try:
                socket.create_connection((BIND, self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"{self.name} is not listening on {self.port} after {seconds} s")

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


# ------------------------------------------------------------------------------------------ client

def send_case(port, data, quiet=1.5):
    """Sends data, reads until the proxy closes or stays quiet; returns the answers seen."""
    s = socket.create_connection((BIND, port), timeout=5)
    s.settimeout(quiet)
    got = b""
    closed = False
    try:
        s.sendall(data)
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            got += chunk
    finally:
        s.close()
    statuses = re.findall(rb"(?:^|\r\n)HTTP/\d(?:\.\d)? (\d{3})", got)
    answer = " ".join(x.decode() for x in statuses)
    if not answer:
        answer = "closed" if closed else "silent"
    elif closed:
        answer += " +close"
    return answer


# ------------------------------------------------------------------------------------------ main

def forwarded(records):
    return sum(1 for r in records if not r.startswith("partial("))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True)
    ap.add_argument("--java", default="java")
    ap.add_argument("--cases", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--base-port", type=int, default=18380)
    ap.add_argument("--only", default="", help="substring of case names to run")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    b = args.base_port
    names = ["gantry", "haproxy", "nginx"]
    ports = {"gantry": b + 1, "haproxy": b + 2, "nginx": b + 3}
    backends = {"gantry": b + 11, "haproxy": b + 12, "nginx": b + 13}
    recorders = {n: Recorder(backends[n]) for n in names}

    with open(os.path.join(args.work, "gantry.yaml"), "w") as f:
        f.write(gantry_yaml(ports["gantry"], backends["gantry"]))
    with open(os.path.join(args.work, "haproxy.cfg"), "w") as f:
        f.write(haproxy_cfg(ports["haproxy"], backends["haproxy"]))
    ngdir = os.path.join(args.work, "nginx")
    os.makedirs(ngdir, exist_ok=True)
    with open(os.path.join(ngdir, "nginx.conf"), "w") as f:
        f.write(nginx_cfg(ports["nginx"], backends["nginx"], ngdir))

    proxies = [
        Proxy("gantry", ports["gantry"], [args.java, "-jar", args.jar, "--config", os.path.join(args.work, "gantry.yaml"),
              "--bind-address", BIND, "--admin-port", "-1", "--access-log", os.path.join(args.work, "gantry-access.log"),
              "--threads", "1"], args.work),
        Proxy("haproxy", ports["haproxy"], ["haproxy", "-db", "-f", os.path.join(args.work, "haproxy.cfg")], args.work),
        Proxy("nginx", ports["nginx"], ["nginx", "-p", ngdir, "-c", os.path.join(ngdir, "nginx.conf")], args.work),
    ]
    try:
        for p in proxies:
            p.wait_ready()
        versions = {
            "haproxy": subprocess.run(["haproxy", "-v"], capture_output=True, text=True).stdout.splitlines()[0],
            "nginx": subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip(),
        }
        print("# " + " | ".join(versions.values()) + " | gantry " + os.path.basename(args.jar))
        cases = sorted(glob.glob(os.path.join(args.cases, "*.http")))
        if args.only:
            cases = [c for c in cases if args.only in os.path.basename(c)]
        results = []
        for path in cases:
            name = os.path.basename(path)[:-5]
            data = open(path, "rb").read()
            answers = {}
            threads = [threading.Thread(target=lambda n=n: answers.__setitem__(n, send_case(ports[n], data)))
                       for n in names]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            time.sleep(0.8)  # the backends' grace for a late (smuggled) request
            got = {n: recorders[n].take() for n in names}
            results.append({"case": name, "answers": answers, "backend": got})
            print_case(name, answers, got)
        summarize(results)
        with open(os.path.join(args.work, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        print(f"\n# raw results: {os.path.join(args.work, 'results.json')}")
    finally:
        for p in proxies:
            p.stop()


def print_case(name, answers, got):
    print(f"\n== {name}")
    for n in ("gantry", "haproxy", "nginx"):
        recs = got[n]
        print(f"  {n:8} answered {answers[n]:18} backend got: {' | '.join(recs) if recs else '-'}")


def summarize(results):
    print("\n== summary: answers (requests the backend got) ==")
    print(f"{'case':40} {'gantry':16} {'haproxy':16} {'nginx':16} verdict")
    more, stricter, other = [], [], []
    for r in results:
        a, g = r["answers"], r["backend"]
        f = {n: forwarded(g[n]) for n in g}
        first = {n: a[n].split()[0] for n in a}
        if f["gantry"] > min(f["haproxy"], f["nginx"]):
            verdict = "GANTRY MORE PERMISSIVE"
            more.append(r["case"])
        elif f["gantry"] < max(f["haproxy"], f["nginx"]):
            verdict = "gantry stricter"
            stricter.append(r["case"])
        elif len({first["gantry"], first["haproxy"], first["nginx"]}) > 1:
            verdict = "other status"
            other.append(r["case"])
        else:
            verdict = ""
        cells = [f"{a[n]} ({f[n]})" for n in ("gantry", "haproxy", "nginx")]
        print(f"{r['case']:40} {cells[0]:16} {cells[1]:16} {cells[2]:16} {verdict}")
    print(f"\n{len(results)} cases. Gantry forwards more than the stricter of HAProxy and nginx in {len(more)}"
          + (": " + ", ".join(more) if more else "") + f".\nGantry forwards less than the more permissive one in {len(stricter)}"
          + (": " + ", ".join(stricter) if stricter else "") + f".\nSame forwarding, another status in {len(other)}"
          + (": " + ", ".join(other) if other else "") + ".")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Live-preview latency: edit one page, time until the preview server shows it.

For each tool (handbok serve, mdbook serve, hugo server) and corpus size, this starts the
tool's live-preview server on a synthetic corpus, then edits the same page N times and
measures, from the moment the edited file is written:

  edit -> page    until an HTTP GET of that page (polled every --poll ms over one keep-alive
                  connection) returns a body containing the new marker text;
  edit -> reload  until the server's live-reload channel delivers a reload message
                  (handbok: server-sent events; mdbook and hugo: a websocket).

Each edit appends a fresh marker ("hbmark<k>") to the page, so every edit changes content.
Edits alternate between two ways of saving: "atomic" (write a temp file beside the page,
then rename it over the page, as many editors do) and "in-place" (truncate and rewrite).
The first --warmup edits are not counted. Medians and p90 are printed as a Markdown table
and written to bench/results/serve-latency.md.

Python 3 standard library only (the websocket client is a minimal RFC 6455 one below).

  python3 bench/serve-latency.py                         # all tools, sizes sample,1k,5kx4
  python3 bench/serve-latency.py --tools hugo --sizes 1k --edits 5

Sizes: "sample" (handbok's own guidelines/ + translations/, handbok only), "1k" (1,000 pages
x 1 language), "5kx4" (5,000 pages x 4 languages), or any "<pages>x<langs>" such as 2000x2.
Tools come from HANDBOK_BIN (default target/release/handbok under the repo root),
MDBOOK_BIN (default /work/tools/mdbook/bin/mdbook, else mdbook on PATH), HUGO_BIN (hugo).
"""
import argparse
import atexit
import base64
import datetime
import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = "127.0.0.1"
DEFAULT_GEN = "/work/shared/bench/gen_corpus.py"
if not os.path.exists(DEFAULT_GEN):
    DEFAULT_GEN = os.path.join(os.path.dirname(REPO), "shared", "bench", "gen_corpus.py")

now = time.perf_counter


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ cleanup
PROCS = []      # live server processes (each the leader of its own process group)
TMPDIRS = []    # temp dirs to remove at exit


def kill_group(p, grace=5.0):
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    # The leader may be gone while children of its group live on: kill the group anyway.
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        p.wait(2)
    except subprocess.TimeoutExpired:
        pass
    if p in PROCS:
        PROCS.remove(p)


def cleanup(keep=False):
    for p in list(PROCS):
        kill_group(p)
    if not keep:
        for d in TMPDIRS:
            shutil.rmtree(d, ignore_errors=True)
        TMPDIRS.clear()


def on_signal(signum, frame):
    cleanup()
    sys.exit(128 + signum)


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_open(port):
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((HOST, port)) == 0


# ------------------------------------------------------------------ websocket (RFC 6455)
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class WebSocket:
    """Just enough of a client: handshake, masked text frames out, text frames in."""

    def __init__(self, port, path, timeout=10.0):
        self.sock = socket.create_connection((HOST, port), timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        req = (f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
               f"Origin: http://{HOST}:{port}\r\n\r\n")
        self.sock.sendall(req.encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError(f"websocket {path}: connection closed during handshake")
            buf += chunk
        head, self.buf = buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        if " 101 " not in lines[0] + " ":
            raise ConnectionError(f"websocket {path}: {lines[0]}")
        want = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        got = [l.split(":", 1)[1].strip() for l in lines[1:] if l.lower().startswith("sec-websocket-accept:")]
        if got != [want]:
            raise ConnectionError(f"websocket {path}: bad Sec-WebSocket-Accept")
        self.sock.settimeout(None)
        self.lock = threading.Lock()

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _send(self, opcode, payload):
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        with self.lock:
            self.sock.sendall(head + mask + body)

    def send_text(self, text):
        self._send(0x1, text.encode())

    def recv_text(self):
        """The next complete text message (pings answered, binary skipped); EOFError on close."""
        parts = []
        while True:
            b0, b1 = self._read(2)
            fin, opcode, masked, n = b0 & 0x80, b0 & 0x0F, b1 & 0x80, b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read(8))[0]
            mask = self._read(4) if masked else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x8:
                raise EOFError
            if opcode == 0x9:
                self._send(0xA, payload)
                continue
            if opcode == 0xA:
                continue
            parts.append(payload)
            if fin:
                msg = b"".join(parts)
                if opcode in (0x1, 0x0):
                    return msg.decode("utf-8", "replace")
                parts = []

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


# ------------------------------------------------------------------ reload listeners
class Listener(threading.Thread):
    """Connects to a live-reload channel and records when each reload message arrives."""

    def __init__(self):
        super().__init__(daemon=True)
        self.times = []
        self.cond = threading.Condition()
        self.error = None
        self.ready = threading.Event()
        self.closing = False

    def got(self, t):
        with self.cond:
            self.times.append(t)
            self.cond.notify_all()

    def first_after(self, t0, deadline):
        """Time of the first reload received after t0, waiting until deadline (perf_counter)."""
        with self.cond:
            while True:
                hits = [t for t in self.times if t > t0]
                if hits:
                    return hits[0]
                left = deadline - now()
                if left <= 0 or self.error:
                    return None
                self.cond.wait(min(left, 0.05))

    def run(self):
        try:
            self.listen()
        except Exception as e:  # noqa: BLE001 - reported, never fatal
            if not self.closing:
                self.error = f"{type(e).__name__}: {e}"
        finally:
            self.ready.set()
            with self.cond:
                self.cond.notify_all()


class WsListener(Listener):
    def __init__(self, port, path, hello=None, is_reload=lambda m: m.strip() == "reload"):
        super().__init__()
        self.port, self.path, self.hello, self.is_reload = port, path, hello, is_reload
        self.ws = None
        self.reconnects = 0

    def listen(self):
        # mdbook sends one "reload" per connection and then closes it; the browser reloads the page
        # and connects again. Do the same, so every edit finds a listener.
        while not self.closing:
            self.ws = WebSocket(self.port, self.path)
            if self.hello:
                self.ws.send_text(self.hello)
            self.ready.set()
            try:
                while True:
                    msg = self.ws.recv_text()
                    t = now()
                    if self.is_reload(msg):
                        self.got(t)
            except (EOFError, OSError):
                self.ws.close()
                if self.closing:
                    return
                self.reconnects += 1

    def stop(self):
        self.closing = True
        if self.ws:
            self.ws.close()


class SseListener(Listener):
    def __init__(self, port, path, event):
        super().__init__()
        self.port, self.path, self.event = port, path, event
        self.conn = self.sock = None

    def listen(self):
        self.conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
        self.conn.connect()
        self.sock = self.conn.sock  # http.client hands it to the response when the stream has no length
        self.conn.request("GET", self.path, headers={"Accept": "text/event-stream", "Cache-Control": "no-cache"})
        r = self.conn.getresponse()
        ctype = r.getheader("Content-Type", "")
        if r.status != 200 or "text/event-stream" not in ctype:
            raise ConnectionError(f"GET {self.path}: {r.status} {r.reason}, Content-Type {ctype!r}")
        self.sock.settimeout(None)  # events may be minutes apart
        self.ready.set()
        name, data = None, []
        while True:
            line = r.readline()
            t = now()
            if not line:
                raise EOFError("event stream closed")
            line = line.decode("utf-8", "replace").rstrip("\r\n")
            if line == "":  # dispatch
                if name == self.event or (name in (None, "message") and "\n".join(data).strip() == self.event):
                    self.got(t)
                name, data = None, []
            elif line.startswith(":"):
                continue
            else:
                field, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if field == "event":
                    name = value
                elif field == "data":
                    data.append(value)

    def stop(self):
        self.closing = True
        if self.sock:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()
        if self.conn:
            self.conn.close()


def hugo_is_reload(msg):
    try:
        return json.loads(msg).get("command") == "reload"
    except ValueError:
        return False


HUGO_HELLO = json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})


# ------------------------------------------------------------------ page poller
class Page:
    def __init__(self, port, path):
        self.port, self.path, self.conn = port, path, None

    def get(self):
        """(status, body) or (None, b'') when the server is not reachable."""
        for _ in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
                self.conn.request("GET", self.path, headers={"Cache-Control": "no-cache"})
                r = self.conn.getresponse()
                body = r.read()
                if r.will_close:
                    self.conn.close()
                    self.conn = None
                return r.status, body
            except (OSError, http.client.HTTPException):
                if self.conn:
                    self.conn.close()
                self.conn = None
        return None, b""

    def close(self):
        if self.conn:
            self.conn.close()


# ------------------------------------------------------------------ corpora and tools
def parse_size(s):
    if s == "sample":
        return ("sample", None, None)
    m = re.fullmatch(r"(\d+)(k?)(?:x(\d+))?", s)
    if not m:
        raise argparse.ArgumentTypeError(f"bad size {s!r}: use sample, 1k, 5kx4 or <pages>x<langs>")
    pages = int(m.group(1)) * (1000 if m.group(2) else 1)
    return (s, pages, int(m.group(3) or 1))


def size_label(size):
    name, pages, langs = size
    return "handbok sample" if name == "sample" else f"{pages:,} × {langs}"


def load_gen(path):
    import importlib.util
    sys.dont_write_bytecode = True  # no __pycache__ beside the shared generator
    spec = importlib.util.spec_from_file_location("gen_corpus", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def middle_page(gen, pages):
    i = pages // 2
    area, short, _ = gen.AREAS[i % len(gen.AREAS)]
    return area, f"{short}-{i:05d}"


def front_matter_id(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.match(r"---\n(.*?)\n---", text, re.S)
    idm = re.search(r"^id:\s*['\"]?([^'\"\n]+?)['\"]?\s*$", m.group(1) if m else "", re.M)
    return idm.group(1) if idm else os.path.splitext(os.path.basename(path))[0]


def source_lang(root):
    try:
        with open(os.path.join(root, "book.toml"), encoding="utf-8") as f:
            m = re.search(r'^language\s*=\s*"([^"]+)"', f.read(), re.M)
        return m.group(1) if m else "en"
    except OSError:
        return "en"


def run_out(cmd, timeout=30):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, (p.stdout + p.stderr).strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)


class Tool:
    name = ""
    fmt = ""

    def available(self):
        """None when usable, else why not."""
        raise NotImplementedError

    def version(self):
        rc, out = run_out([self.bin, "--version"])
        return out.splitlines()[0] if rc == 0 and out else "unknown"


class Handbok(Tool):
    name, fmt = "handbok", "guidelines"

    def __init__(self, args):
        b = os.environ.get("HANDBOK_BIN", os.path.join(REPO, "target", "release", "handbok"))
        self.bin = os.path.abspath(b) if os.sep in b else (shutil.which(b) or b)
        self.events, self.event = args.handbok_events, args.handbok_event

    def available(self):
        if not os.access(self.bin, os.X_OK):
            return f"no executable at {self.bin} (set HANDBOK_BIN)"
        rc, out = run_out([self.bin, "serve", "--help"])
        if rc != 0:
            first = out.splitlines()[0] if out else f"exit {rc}"
            return f"{self.bin} has no `serve` subcommand yet ({first})"
        return None

    def prepare(self, size, work, gen, args):
        name, pages, langs = size
        root = os.path.join(work, "corpus")
        if name == "sample":
            os.makedirs(root)
            for item in ("book.toml", "guidelines", "translations", "themes"):
                src = os.path.join(REPO, item)
                if os.path.isdir(src):
                    shutil.copytree(src, os.path.join(root, item))
                elif os.path.exists(src):
                    shutil.copy2(src, root)
            # handbok reads git history for translation dates: give the copy one commit.
            if shutil.which("git"):
                env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@localhost",
                           GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@localhost")
                for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "sample"]):
                    subprocess.run(cmd, cwd=root, env=env, check=False, capture_output=True)
            mods = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(root, "guidelines"))
                          for f in fs if f.endswith(".md"))
            page = mods[len(mods) // 2]
            mid = front_matter_id(page)
        else:
            gen_corpus(args.gen, pages, langs, root, "guidelines", args)
            area, mid = middle_page(gen, pages)
            page = os.path.join(root, "guidelines", area, mid + ".md")
        return root, page, f"/{source_lang(root)}/modules/{mid}.html"

    def command(self, root, port):
        return [self.bin, "serve", "--root", root, "--port", str(port)]

    def listener(self, port):
        return SseListener(port, self.events, self.event)


class Mdbook(Tool):
    name, fmt = "mdbook", "mdbook"

    def __init__(self, args):
        self.bin = os.environ.get("MDBOOK_BIN") or (
            "/work/tools/mdbook/bin/mdbook" if os.path.exists("/work/tools/mdbook/bin/mdbook") else "mdbook")
        self.bin = shutil.which(self.bin) or self.bin

    def available(self):
        return None if shutil.which(self.bin) or os.access(self.bin, os.X_OK) else \
            f"{self.bin} not found (cargo install mdbook --locked, or set MDBOOK_BIN)"

    def prepare(self, size, work, gen, args):
        name, pages, langs = size
        root = os.path.join(work, "corpus")
        # mdBook has one book per language, each its own `mdbook serve`; an edit to an English page
        # rebuilds only the English book, which is the same whatever the number of languages.
        gen_corpus(args.gen, pages, 1, root, "mdbook", args)
        area, mid = middle_page(gen, pages)
        return root, os.path.join(root, "src", area, mid + ".md"), f"/{area}/{mid}.html"

    def command(self, root, port):
        return [self.bin, "serve", root, "--hostname", HOST, "--port", str(port)]

    def listener(self, port):
        return WsListener(port, "/__livereload")


class Hugo(Tool):
    name, fmt = "hugo", "hugo"

    def __init__(self, args):
        self.bin = shutil.which(os.environ.get("HUGO_BIN", "hugo")) or os.environ.get("HUGO_BIN", "hugo")

    def available(self):
        return None if shutil.which(self.bin) else f"{self.bin} not found (apt-get install hugo, or set HUGO_BIN)"

    def version(self):
        rc, out = run_out([self.bin, "version"])
        return out.splitlines()[0] if rc == 0 and out else "unknown"

    def prepare(self, size, work, gen, args):
        name, pages, langs = size
        root = os.path.join(work, "corpus")
        gen_corpus(args.gen, pages, langs, root, "hugo", args)
        area, mid = middle_page(gen, pages)
        # English is the default content language and not in a subfolder.
        return root, os.path.join(root, "content", "en", area, mid + ".md"), f"/{area}/{mid}/"

    def command(self, root, port):
        # Defaults otherwise: renders to memory, fast render mode on, live reload on the same port.
        return [self.bin, "server", "--source", root, "--bind", HOST, "--port", str(port),
                "--baseURL", f"http://{HOST}:{port}/", "--appendPort=false"]

    def listener(self, port):
        return WsListener(port, "/livereload", hello=HUGO_HELLO, is_reload=hugo_is_reload)


def gen_corpus(gen, pages, langs, out, fmt, args):
    cmd = [sys.executable, gen, "--pages", str(pages), "--langs", str(langs), "--out", out, "--format", fmt,
           "--search", args.search]
    t = now()
    subprocess.run(cmd, check=True)
    log(f"  generated {fmt} corpus {pages}×{langs} in {now() - t:.1f} s")


# ------------------------------------------------------------------ one tool × one size
MARK_LINE = "\n\nBenchmark edit marker {}.\n"


def save(path, text, how):
    """Write text to path like an editor would; returns the time the save started."""
    if how == "atomic":
        d, b = os.path.split(path)
        tmp = os.path.join(d, f".{b}.bench-save")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        t0 = now()
        os.replace(tmp, path)
        return t0
    t0 = now()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return t0


def quantile(xs, q):
    xs = sorted(xs)
    if not xs:
        return None
    k = (len(xs) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def measure(tool, size, gen, args, serial):
    res = {"tool": tool.name, "size": size, "rows": {}, "note": ""}
    work = tempfile.mkdtemp(prefix=f"serve-latency-{tool.name}-{size[0]}-", dir=args.workdir)
    TMPDIRS.append(work)
    try:
        root, page_file, url = tool.prepare(size, work, gen, args)
    except Exception as e:  # noqa: BLE001
        res["note"] = f"corpus failed: {e}"
        return res
    with open(page_file, encoding="utf-8") as f:
        original = f.read()
    port = free_port()
    cmd = tool.command(root, port)
    logf = open(os.path.join(work, "server.log"), "wb")
    log(f"  $ {' '.join(cmd)}")
    log(f"  page {url} <- {os.path.relpath(page_file, root)}")
    t_spawn = now()
    proc = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True, cwd=work)
    PROCS.append(proc)
    page = Page(port, url)
    listener = None

    def tail():
        logf.flush()
        try:
            with open(logf.name, "rb") as f:
                return f.read()[-1500:].decode("utf-8", "replace")
        except OSError:
            return ""

    try:
        # Startup: until the page is served with its original text.
        deadline = t_spawn + args.startup_timeout
        while True:
            if proc.poll() is not None:
                res["note"] = f"server exited with {proc.returncode}"
                log(f"  server exited ({proc.returncode}):\n{tail()}")
                return res
            status, body = page.get()
            if status == 200:
                break
            if now() > deadline:
                res["note"] = f"page not served within {args.startup_timeout} s (last status {status})"
                log(f"  {res['note']}:\n{tail()}")
                return res
            time.sleep(0.02)
        res["startup"] = now() - t_spawn
        log(f"  served after {res['startup']:.2f} s")

        listener = tool.listener(port)
        listener.start()
        listener.ready.wait(10)
        if listener.error:
            log(f"  reload channel unavailable: {listener.error}")
            res["note"] = f"reload channel: {listener.error}"
        time.sleep(0.2)

        variants = args.saves
        samples = {v: {"page": [], "reload": []} for v in variants}
        k = 0
        t_begin = None
        timed = {v: 0 for v in variants}
        i = 0
        warmups = args.warmup
        early_edits = 0
        if res["startup"] > 3 * args.slow:
            warmups = 0  # each edit likely rebuilds for a minute or more: a warm-up edit only costs time
            log(f"  startup over {3 * args.slow:g} s: no warm-up edits")
        while True:
            warm = i < warmups
            how = variants[i % len(variants)]
            if not warm:
                if t_begin is None:
                    t_begin = now()
                done = all(timed[v] >= args.edits for v in variants)
                over = now() - t_begin > args.budget and sum(timed.values()) >= args.min_edits
                if done or over:
                    if over and not done:
                        res["note"] = (res["note"] + "; " if res["note"] else "") + \
                            f"stopped at the {args.budget:.0f} s budget"
                    break
            k += 1
            marker = f"hbmark{serial}x{k:03d}"
            text = original.rstrip("\n") + MARK_LINE.format(marker)
            needle = marker.encode()
            t0 = save(page_file, text, how)
            deadline = t0 + args.timeout
            t_page = None
            t_stale = t0  # when the last GET that still got the old page was sent
            while now() < deadline:
                t_get = now()
                status, body = page.get()
                if status == 200 and needle not in body:
                    t_stale = t_get
                if status == 200 and needle in body:
                    t_page = now()
                    break
                if proc.poll() is not None:
                    break
                time.sleep(args.poll / 1000)
            if t_page is None:
                res["note"] = f"edit {k}: page never showed the edit" + (
                    f" (server exited {proc.returncode})" if proc.poll() is not None else "")
                log(f"  {res['note']}:\n{tail()}")
                break
            t_reload = None
            if listener and not listener.error:
                # The reload comes once the whole rebuild is done, which can be seconds after the page
                # itself was rewritten (hugo at 5,000 × 4, mdbook writing its search index).
                # A reload that came before a GET still got the old page would have shown the reader
                # the old page: count the first one after that, and report the early ones.
                t_reload = listener.first_after(t_stale, t_page + max(args.reload_wait, 4 * (t_page - t0)))
                with listener.cond:
                    early = [t - t0 for t in listener.times if t0 < t <= t_stale]
                if early:
                    early_edits += 1
            else:
                early = []
            dp = t_page - t0
            dr = (t_reload - t0) if t_reload else None
            log(f"  {'warm-up' if warm else 'edit'} {k} ({how}): page {dp * 1000:.0f} ms, reload "
                + (f"{dr * 1000:.0f} ms" if dr is not None else "-")
                + (f" (early reload at {', '.join(f'{e * 1000:.0f}' for e in early)} ms, page still old)"
                   if early else ""))
            if warm and dp > args.slow:
                warmups = i + 1  # a build this slow gains nothing from more warm-up
            if not warm:
                timed[how] += 1
                samples[how]["page"].append(dp)
                if dr is not None:
                    samples[how]["reload"].append(dr)
            i += 1
            # Let the server go quiet, so that no late or repeated reload is taken for the next edit.
            time.sleep(args.settle)
            quiet_until = now() + args.reload_wait
            while listener and listener.times and now() - listener.times[-1] < args.settle \
                    and now() < quiet_until:
                time.sleep(args.settle)
        res["rows"] = samples
        if early_edits:
            res["note"] = (res["note"] + "; " if res["note"] else "") + \
                f"{early_edits} edit(s) also got a reload before their page had changed (a late one for the " \
                "edit before, or an early one on a half-written file; not counted)"
        res["load"] = os.getloadavg()[0]
        if getattr(listener, "reconnects", 0):
            log(f"  reload channel reconnected {listener.reconnects} times")
        return res
    finally:
        page.close()
        if listener:
            listener.stop()
        kill_group(proc)
        logf.close()
        for _ in range(50):
            if not port_open(port):
                break
            time.sleep(0.1)
        else:
            log(f"  warning: port {port} still open after stopping the server")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
            TMPDIRS.remove(work)


# ------------------------------------------------------------------ report
def ms(x):
    if x is None:
        return "–"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def secs(x):
    return "–" if x is None else f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def table(results):
    out = ["| tool | corpus | save | n | edit → page median / p90 | edit → reload median / p90 | startup (initial build) | load |",
           "|---|---|---|---|---|---|---|---|"]
    for r in results:
        label = size_label(r["size"])
        if r["tool"] == "mdbook" and r["size"][2] and r["size"][2] > 1:
            label += " (en book)"
        if not r["rows"]:
            out.append(f"| {r['tool']} | {label} | – | 0 | – | – | {secs(r.get('startup'))} | |")
            continue
        for how, s in r["rows"].items():
            p, rl = s["page"], s["reload"]
            rel = f"{ms(statistics.median(rl))} / {ms(quantile(rl, 0.9))}" if rl else "–"
            if rl and len(rl) < len(p):
                rel += f" ({len(rl)} of {len(p)})"
            out.append(f"| {r['tool']} | {label} | {how} | {len(p)} | "
                       f"{ms(statistics.median(p)) if p else '–'} / {ms(quantile(p, 0.9)) if p else '–'} | "
                       f"{rel} | {secs(r.get('startup'))} | {r.get('load', 0):.1f} |")
    notes = [f"- {r['tool']}, {size_label(r['size'])}: {r['note']}" for r in results if r["note"]]
    return "\n".join(out) + ("\n\nNotes:\n" + "\n".join(notes) if notes else "") + "\n"


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
            cpu = m.group(1) if m else ""
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1))
            mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        pass
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}){mem}, {cpu}, {platform.system()} {platform.release()}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tools", default="handbok,mdbook,hugo", help="comma-separated: handbok,mdbook,hugo")
    ap.add_argument("--sizes", default="sample,1k,5kx4", help="comma-separated: sample, 1k, 5kx4, <pages>x<langs>")
    ap.add_argument("--edits", type=int, default=15, help="timed edits per save variant (default 15)")
    ap.add_argument("--warmup", type=int, default=2, help="untimed edits first (default 2)")
    ap.add_argument("--saves", default="atomic,in-place", help="save variants, alternated (default atomic,in-place)")
    ap.add_argument("--budget", type=float, default=120,
                    help="seconds of timed edits per tool and size; past it stop once --min-edits are "
                         "done (default 120)")
    ap.add_argument("--min-edits", type=int, default=3, help="timed edits (all variants) made even past --budget (default 3)")
    ap.add_argument("--slow", type=float, default=30,
                    help="a warm-up edit slower than this many s ends the warm-up, and a startup slower than "
                         "three times it skips it (default 30)")
    ap.add_argument("--poll", type=float, default=2, help="page poll interval, ms (default 2)")
    ap.add_argument("--settle", type=float, default=0.5, help="pause after each edit, s (default 0.5)")
    ap.add_argument("--reload-wait", type=float, default=10,
                    help="wait this long, or four times the edit → page time, past the page change for "
                         "the reload message (default 10 s)")
    ap.add_argument("--timeout", type=float, default=300, help="give up on one edit after this many s")
    ap.add_argument("--startup-timeout", type=float, default=600, help="give up on startup after this many s")
    ap.add_argument("--search", choices=["on", "off"], default="on",
                    help="search index in the peers' corpora (gen_corpus --search; default on, like handbok)")
    ap.add_argument("--handbok-events", default="/__handbok/events", help="handbok's SSE path")
    ap.add_argument("--handbok-event", default="reload", help="handbok's reload event name")
    ap.add_argument("--gen", default=DEFAULT_GEN, help="gen_corpus.py")
    ap.add_argument("--workdir", default=None, help="where temp corpora go (default: system temp)")
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "results", "serve-latency.md"))
    ap.add_argument("--keep", action="store_true", help="keep temp corpora and server logs")
    args = ap.parse_args()
    args.saves = [s for s in args.saves.split(",") if s]
    for s in args.saves:
        if s not in ("atomic", "in-place"):
            ap.error(f"unknown save variant {s!r}")
    sizes = [parse_size(s) for s in args.sizes.split(",") if s]
    classes = {"handbok": Handbok, "mdbook": Mdbook, "hugo": Hugo}
    names = [t for t in args.tools.split(",") if t]
    for t in names:
        if t not in classes:
            ap.error(f"unknown tool {t!r}")

    atexit.register(cleanup, args.keep)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    gen = load_gen(args.gen) if any(s[0] != "sample" for s in sizes) else None
    results, versions, skipped = [], {}, []
    t_all = now()
    load0 = os.getloadavg()[0]
    serial = 0
    for name in names:
        tool = classes[name](args)
        why = tool.available()
        if why:
            log(f"skipping {name}: {why}")
            skipped.append(f"- {name}: skipped, {why}")
            continue
        versions[name] = tool.version()
        for size in sizes:
            if size[0] == "sample" and name != "handbok":
                continue  # the sample is handbok's own format; peers have no equivalent
            serial += 1
            log(f"== {name}, {size_label(size)}")
            results.append(measure(tool, size, gen, args, serial))
    elapsed = now() - t_all

    header = [
        "# Live-preview latency (bench/serve-latency.py)", "",
        f"- date: {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- machine: {machine()}",
    ] + [f"- {k}: {v}" for k, v in versions.items()] + [
        f"- settings: {args.edits} timed edits per save variant ({', '.join(args.saves)}, alternated) after "
        f"{args.warmup} warm-up edits, page polled every {args.poll:g} ms, {args.settle:g} s between edits, "
        f"budget {args.budget:g} s per row (min {args.min_edits}), peers' search index {args.search}",
        f"- total run time: {elapsed:.0f} s; load average (1 min) {load0:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end; the load column is the load average after each row",
        "",
    ]
    text = "\n".join(header) + "\n" + table(results) + ("\n" + "\n".join(skipped) + "\n" if skipped else "")
    print(text)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()

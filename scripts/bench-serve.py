#!/usr/bin/env python3
"""Benchmark of `tandem serve`: how long after a profile is saved the change is visible in the browser.

Starts `tandem serve` on a programme folder (by default one written by `tandem sample`), waits for the first build and
its write to Output/, then edits one profile N times. For each edit it measures, from the moment the file is written:

  - event:   the Server-Sent Event telling the open page to reload arrives,
  - visible: a GET of the participant's page (what the reloading browser does) returns the new text.

The figures are end to end (inotify, debounce, incremental rebuild, HTTP), on loopback.

    swift build -c release --product tandem
    python3 scripts/bench-serve.py [--tandem .build/release/tandem] [--participants 10000] [--content DIR] [--edits 20]
"""
import argparse, http.client, os, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


class Events(threading.Thread):
    """Reads the event stream; `arrivals` collects (time, line) of each `event: reload`."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port))
        # The Host a browser sends: serve refuses any other (DNS rebinding).
        self.sock.sendall(b"GET /__tandem/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
        self.arrivals = []
        self.lock = threading.Lock()

    def run(self):
        buffer = b""
        while True:
            data = self.sock.recv(65536)
            if not data:
                return
            now = time.perf_counter()
            buffer += data
            while b"event: reload" in buffer:
                index = buffer.index(b"event: reload")
                with self.lock:
                    self.arrivals.append(now)
                buffer = buffer[index + len(b"event: reload"):]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tandem", default=os.path.join(HERE, "..", ".build", "release", "tandem"))
    ap.add_argument("--templates", default=os.path.join(HERE, "..", "Templates"))
    ap.add_argument("--content", help="an existing programme folder (it is copied; default: generate one)")
    ap.add_argument("--participants", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--no-write", action="store_true", help="serve from memory only")
    ap.add_argument("--warm", action="store_true",
                    help="build into Output/ first, as `make site` before `make serve` does (serve then reuses its cards)")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="tandem-bench-serve-")
    content = os.path.join(work, "Content")
    if args.content:
        shutil.copytree(args.content, content)
    else:
        subprocess.run([args.tandem, "sample", "--participants", str(args.participants), "--output", content], check=True,
                       stdout=subprocess.DEVNULL)
    profiles = sorted(name for name in os.listdir(os.path.join(content, "profiles")) if name.endswith(".md") and name.count(".") == 1)
    # A published participant with a profile.
    published = set()
    with open(os.path.join(content, "participants.csv"), encoding="utf-8-sig") as f:
        header = f.readline().strip().split(",")
        for line in f:
            cells = line.strip().split(",")
            row = dict(zip(header, cells))
            if row.get("publish", "").lower() == "yes":
                published.add(row["id"])
    target = next(name[:-3] for name in profiles[len(profiles) // 2:] if name[:-3] in published)
    profile = os.path.join(content, "profiles", target + ".md")
    page = f"/participants/{target}.html"

    if args.warm:
        subprocess.run([args.tandem, "build", "--content", content, "--templates", args.templates, "--output",
                        os.path.join(work, "Output")], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    command = [args.tandem, "serve", "--content", content, "--templates", args.templates, "--output", os.path.join(work, "Output"),
               "--port", str(port)] + (["--no-write"] if args.no_write else [])
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = []
    threading.Thread(target=lambda: [log.append(line.rstrip()) for line in server.stdout], daemon=True).start()
    try:
        while True:
            try:
                status, _ = get(port, "/__tandem/status")
                status, body = get(port, page)
                if status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None:
                sys.exit("tandem serve stopped:\n" + "\n".join(log))
            time.sleep(0.05)
        first = time.perf_counter() - started
        written = None
        if not args.no_write:
            # The first build is written to Output/ in the background; measure edits after that (as a user would make them).
            while not any(line.startswith("Wrote ") for line in log) and time.perf_counter() - started < 600:
                time.sleep(0.05)
            written = time.perf_counter() - started
        events = Events(port)
        events.start()
        time.sleep(0.3)
        original = open(profile, encoding="utf-8").read()
        event_times, visible_times = [], []
        for i in range(args.edits):
            marker = f"BENCHMARK-{i:03d}"
            with events.lock:
                seen = len(events.arrivals)
            t0 = time.perf_counter()
            with open(profile, "w", encoding="utf-8") as f:
                f.write(original + f"\n{marker}\n")
            while True:
                _, body = get(port, page)
                if marker.encode() in body:
                    visible_times.append(time.perf_counter() - t0)
                    break
                if time.perf_counter() - t0 > 30:
                    sys.exit("edit not visible after 30 s:\n" + "\n".join(log[-20:]))
                time.sleep(0.002)
            while True:
                with events.lock:
                    if len(events.arrivals) > seen:
                        event_times.append(events.arrivals[seen] - t0)
                        break
                if time.perf_counter() - t0 > 30:
                    break
                time.sleep(0.002)
            time.sleep(0.25)
        with open(profile, "w", encoding="utf-8") as f:
            f.write(original)

        def ms(values):
            if not values:
                return "none seen"
            values = sorted(values)
            return (f"median {statistics.median(values) * 1000:.0f} ms, p90 {values[int(len(values) * 0.9) - 1] * 1000:.0f} ms, "
                    f"max {values[-1] * 1000:.0f} ms")

        count = sum(1 for name in os.listdir(os.path.join(content, "profiles")))
        print(f"programme: {count} profiles; first build served after {first:.1f} s (includes process start)"
              + (f", written to Output/ after {written:.1f} s" if written else ""))
        print(f"profile edit -> reload event: {ms(event_times)} ({len(event_times)} edits)")
        print(f"profile edit -> page shows it: {ms(visible_times)}")
        print("server log (last lines):")
        for line in [l for l in log if "changed in" in l or "Built" in l or "Wrote" in l][-6:]:
            print("  " + line)
    finally:
        server.send_signal(2)
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

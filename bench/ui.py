"""The web overview at scale: how fast a real Chromium shows 10,000 services, what the page holds
in memory, and whether it keeps drawing frames while status changes stream in over the real
api relay and socket.

    .venv/bin/python bench/ui.py                              # 10,000 services, 5 loads, 500/s
    .venv/bin/python bench/ui.py --services 1000 --runs 2 --stream-seconds 5   # a quick look

What is measured (the output says it again):
  interactive  navigation start (performance.now() = 0 in the page) to the first animation frame
               in which a tile of the grid is in the DOM and the five status counts show the
               seeded totals, checked by a requestAnimationFrame loop installed before any of the
               app's scripts run. A fresh tab per run in one signed-in browser context, so the
               assets come from the HTTP cache after the first run, as for a returning user.
  heap         JSHeapUsedSize from CDP Performance.getMetrics one second after interactive.
  DOM nodes    elements in the document at that moment.
  stream       the bench process publishes `service.status` events for random services (plus a
               `checks` event per batch, which the relay merges to one a second) with
               watchdeck.platform.events.publish_many every 100 ms; the api relays them to the
               page's socket. In the page a requestAnimationFrame loop records every frame
               interval and a PerformanceObserver records long tasks (> 50 ms of main thread
               work).

Every status change also raises a toast in the web app (at most five shown); that is measured as
it is, since it is what people get. No worker runs: only the bench changes statuses.

Starts everything it needs and removes it at the end (also on Ctrl-C): embedded PostgreSQL and
Redis under a temporary folder (or DATABASE_URL / REDIS_URL: a fresh database per run, the Redis
database is flushed), one `watchdeck api` serving web/dist, and a headless Chromium
(Debian's, at /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil
from redis.asyncio import Redis
from support.measures import CpuWindow, percentile, tree
from support.processes import run_bench, start_api, stop_process
from support.report import RULE, cpu_text, header, ms, note_if_not_full_size, progress, within
from support.servers import Databases, servers
from support.targets import NOWHERE
from support.team import EMAIL, PASSWORD, seed_services
from watchdeck.platform.events import Event, publish_many

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "web"
CHROMIUM = "/usr/bin/chromium"
# The flags the browser tests use (tests/e2e/conftest.py): no sandbox or GPU in a container.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}
INTERACTIVE_MS, FRAME_MS = 1500.0, 50.0
GOAL = (
    "Goals: overview interactive ≤ 1.5 s with 10,000 services; "
    "no frame over 50 ms while 500 status changes/s stream in"
)
ORDER = ["up", "degraded", "down", "paused", "pending"]  # the order of the status counts
MIX = {"up": 0.90, "degraded": 0.06, "down": 0.04}  # the seeded statuses
BATCH_S = 0.1

# Installed before the app's scripts: marks the first frame with a tile and the expected counts.
READY_PROBE = """
(expected) => {
  const counts = () => Array.from(
    document.querySelectorAll('ul[aria-label="Services by status"] button'),
    (button) => Number((button.textContent.match(/(\\d+)\\s*$/) || [])[1]),
  )
  const check = () => {
    const tile = document.querySelector('[role="list"][aria-label="Services"] [role="listitem"]')
    if (tile !== null && JSON.stringify(counts()) === JSON.stringify(expected)) {
      window.__benchReady = performance.now()
      return
    }
    requestAnimationFrame(check)
  }
  requestAnimationFrame(check)
}
"""
COUNTS = """() => Array.from(
  document.querySelectorAll('ul[aria-label="Services by status"] button'),
  (button) => Number((button.textContent.match(/(\\d+)\\s*$/) || [])[1]),
)"""
# Frame intervals and long tasks from now on, until window.__benchStop is set.
FRAME_PROBE = """() => {
  window.__benchFrames = []
  window.__benchLong = []
  window.__benchStop = false
  // A loop left from an earlier window stops at its next frame instead of adding to this one.
  const loop = (window.__benchLoop = (window.__benchLoop || 0) + 1)
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__benchLong.push(entry.duration)
    }).observe({ type: 'longtask' })
    window.__benchLongOk = true
  } catch {
    window.__benchLongOk = false
  }
  const frames = window.__benchFrames
  let last = null
  const tick = (at) => {
    if (window.__benchLoop !== loop) return
    if (last !== null) frames.push(at - last)
    last = at
    if (!window.__benchStop && window.__benchLoop === loop) requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
}"""
FRAMES = """() => {
  window.__benchStop = true
  return { frames: window.__benchFrames, long: window.__benchLong, longOk: window.__benchLongOk }
}"""
TILE_BADGE = """(name) => {
  for (const tile of document.querySelectorAll('[role="listitem"]')) {
    const title = tile.querySelector('[title]')
    if (title !== null && title.getAttribute('title') === name) {
      return tile.querySelector('a > div').textContent.slice(name.length).trim()
    }
  }
  return null
}"""


# ── set-up ─────────────────────────────────────────────────────────────────────────────────


def ensure_web_dist(given: Path | None) -> Path:
    if given is not None:
        if not (given / "index.html").exists():
            sys.exit(f"{given} has no index.html: not a build of the web app")
        return given.resolve()
    dist = WEB / "dist"
    if (dist / "index.html").exists():
        return dist
    if not shutil.which("npm"):
        sys.exit("web/dist is missing and npm is not installed: build the web app first")
    progress("web/dist is missing: running `npm run build` in web/")
    done = subprocess.run(["npm", "run", "build"], cwd=WEB, capture_output=True, text=True)
    if done.returncode != 0 or not (dist / "index.html").exists():
        sys.exit(f"`npm run build` failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return dist


def chromium_version() -> str:
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium package (make chromium)")
    done = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown version"


async def seed(url: str, dbs: Databases, count: int) -> tuple[dict, list[dict]]:
    """`count` services in one team, statuses set directly in a realistic mix; returns the
    counts in status order and (id, name, status) per service."""
    await seed_services(url, count, 60, NOWHERE)  # no worker runs: nothing checks them
    conn = await dbs.connect(url)
    try:
        await conn.execute("SELECT setseed(0.42)")
        await conn.execute(
            "UPDATE services SET status = (CASE WHEN r < $1 THEN 'down' WHEN r < $2 "
            "THEN 'degraded' ELSE 'up' END), "
            "last_check_at = now(), last_latency_ms = 20 + r * 400, last_status_code = 200 "
            "FROM (SELECT id AS sid, random() AS r FROM services) AS s WHERE id = s.sid",
            MIX["down"],
            MIX["down"] + MIX["degraded"],
        )
        rows = await conn.fetch("SELECT id, team_id, name, status FROM services")
    finally:
        await conn.close()
    services = [dict(row) for row in rows]
    counts = {status: 0 for status in ORDER}
    for service in services:
        counts[service["status"]] += 1
    return counts, services


async def sign_in(context, base: str) -> None:
    """Through the login form, as the browser tests do; the session stays in localStorage."""
    page = await context.new_page()
    await page.goto(base + "/login")
    await page.get_by_label("Email").fill(EMAIL)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
    await page.close()


# ── measuring ──────────────────────────────────────────────────────────────────────────────


async def load_once(context, base: str, expected: list[int]) -> tuple[object, dict]:
    """Open the overview in a fresh tab; (the page, its figures)."""
    page = await context.new_page()
    await page.add_init_script(f"({READY_PROBE})({json.dumps(expected)})")
    cdp = await context.new_cdp_session(page)
    await cdp.send("Performance.enable")
    await page.goto(base + "/", wait_until="commit")
    try:
        await page.wait_for_function("window.__benchReady !== undefined", timeout=60_000)
    except Exception as error:
        shown = await page.evaluate(COUNTS)
        raise RuntimeError(f"the overview never showed {expected} (shows {shown})") from error
    ready = await page.evaluate("window.__benchReady")
    await page.wait_for_timeout(1000)
    metrics = {m["name"]: m["value"] for m in (await cdp.send("Performance.getMetrics"))["metrics"]}
    nodes = await page.evaluate("document.getElementsByTagName('*').length")
    page.cdp = cdp  # kept for the main-thread time of the stream
    return page, {"ready": ready, "heap": metrics["JSHeapUsedSize"], "nodes": nodes}


BUSY = ["TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration"]


async def busy(cdp) -> dict[str, float]:
    """Main-thread seconds so far of the page's renderer, by kind (CDP Performance metrics)."""
    metrics = (await cdp.send("Performance.getMetrics"))["metrics"]
    return {m["name"]: m["value"] for m in metrics if m["name"] in BUSY}


def chromium_processes() -> list[psutil.Process]:
    """Every Chromium process this script started (browser, renderers, GPU and utilities)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if "chrom" in child.name():
                found.append(child)
        except psutil.Error:
            pass
    return found


def next_status(current: str, rng: random.Random) -> str:
    """A flap: healthy services go down or degrade, the others mostly recover."""
    if current == "up":
        return "down" if rng.random() < 0.6 else "degraded"
    return "up" if rng.random() < 0.8 else ("down" if current == "degraded" else "degraded")


async def stream(
    redis: Redis, services: list[dict], rate: int, seconds: float, first: dict
) -> dict:
    """Publish `rate` status changes a second for `seconds`, in batches every 100 ms, each with
    a `checks` event for the same services, `first` among the first batch; returns what was
    sent and how late batches went."""
    rng = random.Random(7)
    per_batch = max(1, round(rate * BATCH_S))
    batches = round(seconds / BATCH_S)
    sent = late = 0
    worst_late = 0.0
    started = time.monotonic()
    for index in range(batches):
        due = started + index * BATCH_S
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.01:  # more than 10 ms behind its slot
            late += 1
            worst_late = max(worst_late, -delay)
        at = datetime.now(UTC).isoformat()
        events, checks = [], []
        chosen = rng.sample(services, per_batch)
        if index == 0 and first not in chosen:
            chosen[0] = first
        for service in chosen:
            before, after = service["status"], next_status(service["status"], rng)
            service["status"] = after
            data = {
                "service_id": str(service["id"]),
                "name": service["name"],
                "from": before,
                "to": after,
                "at": at,
                "error": "HTTP 503" if after == "down" else None,
            }
            events.append(Event(team_id=service["team_id"], kind="service.status", data=data))
            checks.append(
                {
                    "service_id": str(service["id"]),
                    "at": at,
                    "ok": after != "down",
                    "degraded": after == "degraded",
                    "latency_ms": round(rng.uniform(20, 900), 1),
                    "status_code": 503 if after == "down" else 200,
                }
            )
        events.append(Event(team_id=services[0]["team_id"], kind="checks", data=checks))
        await publish_many(redis, events)
        sent += per_batch
    elapsed = time.monotonic() - started
    return {"sent": sent, "elapsed": elapsed, "late": late, "worst_late": worst_late}


def frame_figures(result: dict) -> dict:
    frames = result["frames"]
    return {
        "frames": len(frames),
        "p50": percentile(frames, 50),
        "p95": percentile(frames, 95),
        "p99": percentile(frames, 99),
        "max": max(frames) if frames else None,
        "over": sum(1 for f in frames if f > FRAME_MS),
        "long": result["long"],
        "long_ok": result["longOk"],
    }


# ── the report ─────────────────────────────────────────────────────────────────────────────


def frame_row(name: str, f: dict) -> str:
    long = f"{len(f['long'])} ({sum(f['long']):,.0f} ms)" if f["long_ok"] else "n/a"
    return (
        f"  {name:<10} {f['frames']:>7,} {f['p50']:>7.1f} {f['p95']:>7.1f} {f['p99']:>7.1f} "
        f"{f['max']:>8.1f} {f['over']:>9,}  {long}"
    )


def report(args, lines, loads, idle, streamed, sent, applied) -> None:
    print("\n" + RULE + "\n" + "\n".join(lines))
    print(
        "\nload: navigation start → first frame with a tile and the seeded counts in the DOM "
        "(performance.now() in the page);\n      heap (CDP JSHeapUsedSize) and DOM elements 1 s "
        "later; a fresh tab per run, same signed-in context"
    )
    print(f"\n  {'run':<5} {'interactive':>12} {'JS heap':>10} {'DOM elements':>13}")
    for index, load in enumerate(loads, 1):
        print(
            f"  {index:<5} {ms(load['ready']):>12} {load['heap'] / 2**20:>7.1f} MB "
            f"{load['nodes']:>13,}"
        )
    readies = [load["ready"] for load in loads]
    median = percentile(readies, 50)
    print(f"  median {ms(median):>11}, worst {ms(max(readies))}")

    print(
        f"\nstream: {sent['sent']:,} `service.status` events in {sent['elapsed']:.1f} s "
        f"({sent['sent'] / sent['elapsed']:,.0f}/s) + one `checks` event per batch of "
        f"{max(1, round(args.rate * BATCH_S))}; {sent['late']} batches late "
        f"(worst {sent['worst_late'] * 1000:,.0f} ms)"
    )
    print(
        f"\n  {'window':<10} {'frames':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>8} {'> 50 ms':>9}  long tasks (total)"
    )
    print(frame_row("idle 3 s", idle))
    print(frame_row("stream", streamed))
    print(
        "  renderer main thread while streaming, share of wall time: "
        + ", ".join(f"{k.lower()} {v * 100:.0f} %" for k, v in streamed["busy"].items())
        + " (task = all work; script, layout and style are parts of it)"
    )
    print(f"  CPU while streaming: {streamed['cpu']}")
    if streamed["long"]:
        longest = sorted(streamed["long"], reverse=True)[:5]
        print("  longest long tasks: " + ", ".join(f"{d:,.0f} ms" for d in longest))
    print(
        f"\n  applied: counts shown {applied['shown']} vs sent {applied['expected']} "
        f"({'equal' if applied['equal'] else 'DIFFERENT'}, {applied['settle']:.1f} s after the "
        f"last batch); DOWN {applied['down_before']:,} → {applied['down_after']:,}; tile "
        f"“{applied['tile']}” badge {applied['badge_before']} → {applied['badge_after']} "
        f"(sent: {applied['tile_status']}); toasts on screen at the end: {applied['toasts']}"
    )

    print(f"\n{GOAL}")
    ok, figure = within(median, INTERACTIVE_MS)
    print(f"  {'PASS' if ok else 'MISS'}: overview interactive, median of {len(loads)}: {figure}")
    worst = streamed["max"]
    ok = streamed["over"] == 0 and applied["equal"]
    detail = (
        f"{streamed['over']:,} of {streamed['frames']:,} frames over 50 ms, worst {ms(worst)}"
        + ("" if applied["equal"] else "; the page did not show every change")
    )
    print(f"  {'PASS' if ok else 'MISS'}: frames while {args.rate}/s stream in: {detail}")
    note_if_not_full_size(args, "10,000 services, 500 changes/s", services=10_000, rate=500)
    print(RULE, flush=True)


# ── main ───────────────────────────────────────────────────────────────────────────────────


async def bench(args) -> None:
    lines = header("Watchdeck dashboard benchmark (bench/ui.py)")
    version = chromium_version()
    lines.append(f"browser  {version}, headless, viewport {VIEWPORT['width']}×{VIEWPORT['height']}")
    dist = ensure_web_dist(args.web_dist)
    lines.append(f"web      {dist}")
    print("\n".join(lines), flush=True)
    lines.append(
        f"run      {args.services:,} services in one team; {args.runs} loads; "
        f"{args.rate}/s status changes for {args.stream_seconds:g} s"
    )
    async with servers("ui") as (folder, dbs):
        await measure(args, lines, folder, dbs, dist)


async def measure(args, lines: list[str], folder: Path, dbs: Databases, dist: Path) -> None:
    """Seed, serve `dist`, load the overview in Chromium, stream changes, then the report."""
    from playwright.async_api import async_playwright

    url = await dbs.fresh("ui")
    lines += await dbs.describe()
    env = dbs.env(url)
    env["WATCHDECK_WEB_DIST"] = str(dist)
    progress(f"seeding {args.services:,} services")
    counts, services = await seed(url, dbs, args.services)
    lines.append("seeded   " + ", ".join(f"{k} {v:,}" for k, v in counts.items() if v))
    api_process = redis = playwright = browser = None
    try:
        api_process, base = await start_api(env, folder / "api.log")
        redis = Redis.from_url(dbs.redis_url)

        progress("starting Chromium and signing in through the login form")
        playwright = await async_playwright().start()
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        # The dashboard's Content-Security-Policy (script-src 'self') refuses the eval that
        # Playwright's wait_for_function polls with; the app itself runs the same either way.
        context = await browser.new_context(viewport=VIEWPORT, bypass_csp=True)
        await sign_in(context, base)

        expected = [counts[status] for status in ORDER]
        loads, page = [], None
        for index in range(args.runs):
            if page is not None:
                await page.close()
            page, figures = await load_once(context, base, expected)
            loads.append(figures)
            progress(
                f"load {index + 1}/{args.runs}: interactive {ms(figures['ready'])}, "
                f"heap {figures['heap'] / 2**20:.1f} MB, {figures['nodes']:,} elements"
            )

        # The last tab stays open and listens. One service is sure to change in the first
        # batch; its tile is looked up through the filter box once the stream is over.
        sampled = next(s for s in services if s["status"] == "down")
        badge_before = sampled["status"]
        down_before = counts["down"]
        progress("idle frames for 3 s")
        await page.evaluate(FRAME_PROBE)
        await page.wait_for_timeout(3000)
        idle = frame_figures(await page.evaluate(FRAMES))

        progress(f"streaming {args.rate} status changes/s for {args.stream_seconds:g} s")
        await page.evaluate(FRAME_PROBE)
        busy_before = await busy(page.cdp)
        cpu = CpuWindow({"chromium": chromium_processes, "api": tree(api_process.pid)})
        cpu.start()
        sent = await stream(redis, services, args.rate, args.stream_seconds, sampled)
        used = cpu.stop()
        busy_after = await busy(page.cdp)
        streamed = frame_figures(await page.evaluate(FRAMES))
        streamed["busy"] = {
            k.removesuffix("Duration"): (busy_after[k] - busy_before[k]) / sent["elapsed"]
            for k in BUSY
        }
        streamed["cpu"] = cpu_text(used)

        final = {status: 0 for status in ORDER}
        for service in services:
            final[service["status"]] += 1
        wanted = [final[status] for status in ORDER]
        settle_started = time.monotonic()
        shown = await page.evaluate(COUNTS)
        while shown != wanted and time.monotonic() - settle_started < 10:
            await page.wait_for_timeout(250)
            shown = await page.evaluate(COUNTS)
        toasts = await page.locator('section[aria-label="Notifications"] li').count()
        await page.get_by_label("Filter by name or tag").fill(sampled["name"])
        await page.wait_for_function(
            "document.querySelectorAll('[role=\"listitem\"]').length === 1", timeout=10_000
        )
        applied = {
            "shown": shown,
            "expected": wanted,
            "equal": shown == wanted,
            "settle": time.monotonic() - settle_started,
            "down_before": down_before,
            "down_after": shown[ORDER.index("down")],
            "tile": sampled["name"],
            "tile_status": sampled["status"],
            "badge_before": badge_before,
            "badge_after": await page.evaluate(TILE_BADGE, sampled["name"]),
            "toasts": toasts,
        }
        report(args, lines, loads, idle, streamed, sent, applied)
    finally:
        if browser is not None:
            await browser.close()
        if playwright is not None:
            await playwright.stop()
        if redis is not None:
            await redis.aclose()
        if api_process is not None:
            stop_process(api_process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="overview loads")
    parser.add_argument("--rate", type=int, default=500, help="status changes a second")
    parser.add_argument("--stream-seconds", type=float, default=20.0)
    parser.add_argument(
        "--web-dist", type=Path, help="another build of the web app (default: web/dist)"
    )
    run_bench(bench, parser.parse_args())


if __name__ == "__main__":
    main()

"""Psoas Guide benchmark: build time, page weight and Lighthouse scores against fixed budgets.

Build figures: the engine alone (mkdocs build) against plain Material with the same Markdown
extensions, the whole pipeline (`guide build`: engine, handouts, zip) with a cold and a warm
handout cache, edit-to-reload under `guide serve`, and build time with the chapters copied 4x
and 16x (seconds per page should stay flat).

Run with `make bench`. Writes benchmarks/latest.md (for people) and benchmarks/latest.json (for
comparing runs). Every figure is a median over several runs, with its range.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "tests")]
# One definition each of "a clean copy of the project" and "how to start Debian's Chromium".
from conftest import CHROMIUM, CHROMIUM_ARGS, copy_project  # noqa: E402
from gzip_server import serve  # noqa: E402

KIB = 1024
BUDGETS = {
    "lighthouse_each_category": 100,
    "first_visit_gzip_kib": 100,
    "full_build_s": 10.0,
    "site_build_ratio": 1.5,
    "warm_build_ratio": 1.5,
    "incremental_rebuild_s": 1.0,
    "peak_memory_mb_16x": 300,
}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
MKDOCS = [sys.executable, "-m", "mkdocs"]
GUIDE = [sys.executable, "-m", "pipeline"]
SCALES = (1, 4, 16)


def summary(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "runs": len(values)}


def machine() -> dict:
    def version(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "not found"
    pkgs = ["mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "pymdown-extensions", "weasyprint"]
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "chromium": version([CHROMIUM, "--version"]),
        "node": version(["node", "--version"]),
        **{p: metadata.version(p) for p in pkgs},
    }


def reader_pages(site: Path) -> dict[str, str]:
    """The pages a first visit lands on: home and every chapter (the build's manifest lists them)."""
    manifest = json.loads((site.with_name(site.name + ".build") / "manifest.json").read_text())
    return {"home": "index.html", **{Path(p["url"]).stem: p["url"] for p in manifest["pages"] if p["handout"]}}


def tree_memory_kib(root: int) -> tuple[int, int]:
    """(memory of a process and all its descendants (the engine, the PDF workers, the join), the
    largest peak of any one of them (VmHWM)), from /proc.

    The total sums PSS, not RSS: the PDF workers are forked from the build and share its pages
    (WeasyPrint's code among them, on a first build), and RSS would count those once per process."""
    total, largest, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        try:
            # Each thread's children (the kernel's list): cheap enough to sample 20 times a second
            # without slowing the build it measures, unlike reading every process in /proc.
            for children in Path(f"/proc/{pid}/task").glob("*/children"):
                todo += map(int, children.read_text().split())
            status = Path(f"/proc/{pid}/status").read_text()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        pss, hwm = re.search(r"^Pss:\s+(\d+)", rollup, re.M), re.search(r"VmHWM:\s+(\d+)", status)
        total += int(pss.group(1)) if pss else 0
        largest = max(largest, int(hwm.group(1)) if hwm else 0)
    return total, largest


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    return measured(cmd, cwd, env)[0]


def measured(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall time (s) of one command, its peak memory (MB, the whole process tree's PSS, sampled)
    and the largest peak of any one process in it (MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**ENV, **(env or {})}, cwd=cwd)
    peak = [0, 0]

    def sample() -> None:
        while proc.poll() is None:
            total, largest = tree_memory_kib(proc.pid)
            peak[:] = max(peak[0], total), max(peak[1], largest)
            time.sleep(0.05)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{output}")
    return elapsed, peak[0] / 1024, peak[1] / 1024


def timed_build(config: Path, out: Path) -> float:
    """Plain `mkdocs build`, as a Material site without our pipeline runs it."""
    return timed([*MKDOCS, "build", "-f", str(config), "-d", str(out)], config.parent)


def timed_engine(config: Path, out: Path) -> float:
    """Our engine alone, as `guide build` runs it: `mkdocs build --strict` keeping the theme's
    compiled templates (pipeline/mkdocs_build.py). The generated inputs must exist: `guide prepare`."""
    return timed([sys.executable, "-m", "pipeline.mkdocs_build", "-f", str(config), "-d", str(out)], config.parent)


def timed_pipeline(project: Path, out: Path, cache: Path) -> float:
    """The whole `guide build`: prepare, engine, post-processing, handouts, zip."""
    return measured_pipeline(project, out, cache)[0]


def measured_pipeline(project: Path, out: Path, cache: Path) -> tuple[float, float, float]:
    return measured([*GUIDE, "build", "-d", str(out)], project, {"HANDOUTS_CACHE_DIR": str(cache)})


def write_variant_configs(project: Path) -> dict[str, Path]:
    """A plain Material site over the same pages, beside our own mkdocs.yml (the engine alone:
    no hooks exist any more, handouts and zip are pipeline steps).

    The baseline keeps our Markdown extensions (the pages need them to parse the same way) but
    has no macros, overrides, offline plugin, extra CSS or handouts.
    """
    import yaml

    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !ENV and friends
    ours = yaml.load((project / "mkdocs.yml").read_text(), Loader=Loader)
    site_only = project / "mkdocs.yml"
    baseline = project / "mkdocs.baseline.yml"
    baseline.write_text(yaml.safe_dump({
        "site_name": "Psoas Guide (plain Material baseline)",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False},
        "plugins": ["search"],
        "markdown_extensions": ours["markdown_extensions"],
        "nav": ours["nav"],
    }))
    return {"site_only": site_only, "baseline": baseline, "full": project / "mkdocs.yml"}


def build_times(project: Path, runs: int) -> dict:
    configs = write_variant_configs(project)
    out = project / "out"
    cache = project / ".bench-cache"
    results: dict[str, list[float]] = {k: [] for k in ("baseline", "site_only", "full_cold", "full_warm")}
    timed([*GUIDE, "prepare"], project)  # the generated inputs the engine reads
    timed_engine(configs["site_only"], out / "warm")  # warm the OS file cache, Python bytecode, compiled templates
    for _ in range(runs):
        results["baseline"].append(timed_build(configs["baseline"], out / "b"))
        results["site_only"].append(timed_engine(configs["site_only"], out / "s"))
        shutil.rmtree(cache, ignore_errors=True)
        results["full_cold"].append(timed_pipeline(project, out / "f", cache))
        results["full_warm"].append(timed_pipeline(project, out / "f", cache))
    stats = {k: summary(v) for k, v in results.items()}
    stats["site_vs_baseline_ratio"] = round(stats["site_only"]["median"] / stats["baseline"]["median"], 2)
    # The baseline cannot run our macros, so its pages are the unexpanded {{ }} calls: far less to
    # render. Content per second puts the two on the same footing.
    stats["article_kib"] = {"baseline": article_kib(out / "b"), "site_only": article_kib(out / "s")}
    stats["content_ratio"] = round(stats["article_kib"]["site_only"] / stats["article_kib"]["baseline"], 2)
    return stats


def article_kib(site: Path) -> float:
    """How much page content a build produced: the <article> HTML of every page."""
    total = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        start, end = html.find("<article"), html.rfind("</article>")
        total += end - start if 0 <= start < end else 0
    return round(total / KIB, 1)


def scale_copy(project: Path, times: int) -> Path:
    """A copy of the project with every chapter copied `times` over (new folders, new names, the
    same links), so the site, the handouts and the whole-guide PDF all grow."""
    import re

    import yaml

    copy = copy_project(project.parent / f"x{times}")
    docs = copy / "docs"
    stems = [p.stem for sec in ("before", "aftercare") for p in (docs / sec).glob("*.md")]
    nav_extra = []
    for n in range(2, times + 1):
        for sec in ("before", "aftercare"):
            folder = docs / f"{sec}{n}"
            folder.mkdir()
            entries = []
            for page in sorted((docs / sec).glob("*.md")):
                text = page.read_text(encoding="utf-8")
                text = text.replace("../before/", f"../before{n}/").replace("../aftercare/", f"../aftercare{n}/")
                text = re.sub(r"(?<=[(/])(" + "|".join(map(re.escape, stems)) + r")\.md", rf"\1-{n}.md", text)
                text = re.sub(r"(?m)^title: (.*)$", rf"title: \1 ({n})", text, count=1)
                (folder / f"{page.stem}-{n}.md").write_text(text, encoding="utf-8")
                entries.append(f"{sec}{n}/{page.stem}-{n}.md")
            nav_extra.append({f"{sec} copy {n}": entries})
    config = (copy / "mkdocs.yml").read_text(encoding="utf-8")
    extra = yaml.safe_dump(nav_extra, default_flow_style=False, indent=2)
    (copy / "mkdocs.yml").write_text(config.replace("  - Reference:", "\n".join("  " + line for line in extra.splitlines())
                                                     + "\n  - Reference:", 1), encoding="utf-8")
    return copy


def scaling(project: Path, runs: int) -> dict:
    """Cold and warm pipeline builds at 1x, 4x and 16x the chapters; seconds per page."""
    results = {}
    for times in SCALES:
        copy = project if times == 1 else scale_copy(project, times)
        pages = sum(1 for _ in (copy / "docs").rglob("*.md"))
        cold, warm, memory, largest = [], [], [], []
        for _ in range(max(1, runs // 2)):
            cache = copy / ".scale-cache"
            shutil.rmtree(cache, ignore_errors=True)
            seconds, peak_mb, largest_mb = measured_pipeline(copy, copy / "out" / "scale", cache)
            cold.append(seconds)
            memory.append(peak_mb)
            largest.append(largest_mb)
            warm.append(timed_pipeline(copy, copy / "out" / "scale", cache))
        engine = [timed_engine(copy / "mkdocs.yml", copy / "out" / "engine") for _ in range(max(1, runs // 2))]
        baseline_config = write_variant_configs(copy)["baseline"]
        plain = [timed_build(baseline_config, copy / "out" / "plain") for _ in range(max(1, runs // 2))]
        guide_pdf = copy / "out" / "scale" / "handouts" / "psoas-guide.pdf"
        # Only chapters are copied (and each makes two PDFs): the reference pages are not, so
        # seconds per page rise with the share of chapters; seconds per chapter is the flat measure.
        chapters = sum(1 for pdf in guide_pdf.parent.glob("*.pdf") if pdf != guide_pdf)
        from pypdf import PdfReader

        results[f"{times}x"] = {
            "pages": pages, "chapters": chapters, "cold": summary(cold), "warm": summary(warm), "engine": summary(engine),
            "plain_material": summary(plain), "peak_memory_mb_cold": summary(memory),
            "largest_process_mb_cold": summary(largest),
            "warm_vs_plain": round(statistics.median(warm) / statistics.median(plain), 2),
            "engine_vs_plain": round(statistics.median(engine) / statistics.median(plain), 2),
            "cold_s_per_page": round(statistics.median(cold) / pages, 3),
            "cold_s_per_chapter": round(statistics.median(cold) / chapters, 3),
            "warm_s_per_page": round(statistics.median(warm) / pages, 3),
            "guide_pdf_pages": len(PdfReader(guide_pdf).pages),
        }
    return results


def fetch(url: str) -> str:
    try:
        return urllib.request.urlopen(url, timeout=10).read().decode()
    except OSError:  # mid-rebuild the page can be briefly missing
        return ""


def incremental_rebuild(project: Path, runs: int) -> dict:
    """Edit one page while `guide serve` runs; time until the served page shows the edit."""
    import re

    log = project / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([*GUIDE, "serve", "-a", "127.0.0.1:0", "-d", str(project / "out" / "serve")],
                                stdout=out, stderr=subprocess.STDOUT, env=ENV, cwd=project,
                                start_new_session=True)  # its own process group: PDF workers stop with it
    page = project / "docs" / "before" / "preparing.md"
    original = page.read_text()
    times = []
    try:
        deadline = time.time() + 180
        while not re.search(r"Serving on (http://\S+/)", log.read_text()):
            if time.time() > deadline or proc.poll() is not None:
                raise SystemExit("guide serve did not start:\n" + log.read_text()[-3000:])
            time.sleep(0.2)
        url = re.search(r"Serving on (http://\S+/)", log.read_text()).group(1) + "before/preparing.html"
        while "Handouts: up to date" not in log.read_text():  # measure edits, not the first PDFs
            if time.time() > deadline:
                raise SystemExit("the first handouts never finished:\n" + log.read_text()[-3000:])
            time.sleep(0.2)
        for n in range(runs):
            marker = f"Benchmark edit number {n} {time.time_ns()}"
            start = time.perf_counter()
            page.write_text(original + f"\n{marker}\n")
            while marker not in fetch(url):
                if time.perf_counter() - start > 60:
                    raise SystemExit("incremental rebuild did not show the edit within 60 s")
                time.sleep(0.05)
            times.append(time.perf_counter() - start)
            time.sleep(1.5)
    finally:
        page.write_text(original)
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
    return summary(times)


def page_weight(site: Path, runs: int) -> dict:
    """Bytes a first visit transfers (gzip from the server) and their uncompressed size, per page:
    home and every chapter."""
    from playwright.sync_api import sync_playwright

    base, server = serve(site)
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path in reader_pages(site).items():
                samples = []
                for _ in range(runs):
                    context = browser.new_context()
                    page = context.new_page()
                    responses: list = []
                    # A partial, not the bound method: Playwright tags its handlers with an attribute.
                    page.on("requestfinished", functools.partial(list.append, responses))
                    page.goto(base + path, wait_until="networkidle")
                    page.wait_for_timeout(1500)  # late loads: the search worker, figures
                    files = []
                    for r in responses:
                        resp = r.response()
                        if resp and resp.status >= 400:  # never measure an error page as if it were the site
                            raise SystemExit(f"page weight: {r.url} answered {resp.status}")
                        body = resp.body() if resp else b""
                        files.append({"url": r.url.replace(base, ""), "type": r.resource_type,
                                      "gzip": r.sizes()["responseBodySize"], "raw": len(body)})
                    samples.append(files)
                    context.close()
                files = samples[-1]
                totals = [sum(f["gzip"] for f in s) for s in samples]
                results[name] = {
                    "gzip_kib": round(statistics.median(totals) / KIB, 1),
                    "raw_kib": round(sum(f["raw"] for f in files) / KIB, 1),
                    "requests": len(files),
                    "largest": sorted(files, key=lambda f: -f["gzip"])[:6],
                }
            browser.close()
    finally:
        server.shutdown()
    return results


PERF_WEIGHTS = {"first-contentful-paint": 0.10, "speed-index": 0.10, "largest-contentful-paint": 0.25,
                "total-blocking-time": 0.30, "cumulative-layout-shift": 0.25}


def lighthouse(site: Path, runs: int) -> dict:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        raise SystemExit("Lighthouse is missing: run `make bench` (it installs benchmarks/package.json).")
    base, server = serve(site)
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    results = {}
    try:
        for name, path in reader_pages(site).items():
            runs_data = []
            for _ in range(runs):
                with tempfile.TemporaryDirectory() as tmp:
                    out = Path(tmp) / "lh.json"
                    subprocess.run(
                        [str(binary), base + path, "--quiet", "--output=json", f"--output-path={out}",
                         "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS)],
                        env=env, check=True, capture_output=True, timeout=240)
                    runs_data.append(json.loads(out.read_text()))
            cats = {c: [round(r["categories"][c]["score"] * 100) for r in runs_data]
                    for c in ("performance", "accessibility", "best-practices", "seo")}
            metrics = {m: [r["audits"][m]["numericValue"] for r in runs_data]
                       for m in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                                 "cumulative-layout-shift")}
            failing = sorted({a["title"] for r in runs_data for a in r["audits"].values()
                              if a.get("score") is not None and a["score"] < 1
                              and a.get("scoreDisplayMode") in ("binary", "numeric")})
            results[name] = {
                "path": path,
                "scores": {c: summary(v) for c, v in cats.items()},
                "metrics": {m: summary(v) for m, v in metrics.items()},
                "audits_below_full_marks": failing[:15],
                # Lighthouse's own weights: what each metric cost the performance score (0-100).
                "performance_lost": {r_id: round(summary([(1 - (r["audits"][r_id]["score"] or 0)) * w * 100
                                                          for r in runs_data])["median"], 1)
                                     for r_id, w in PERF_WEIGHTS.items()},
            }
    finally:
        server.shutdown()
    return results


def artefact_sizes(site: Path) -> dict:
    pdfs = {p.name: round(p.stat().st_size / KIB, 1) for p in sorted((site / "handouts").glob("*.pdf"))}
    zips = sorted((site / "downloads").glob("*.zip"))
    index = next(iter(sorted(site.glob("search/search_index.*"))), None)
    return {
        "pdf_kib": pdfs,
        "zip_kib": round(zips[0].stat().st_size / KIB, 1) if zips else None,
        "search_index_kib": round(index.stat().st_size / KIB, 1) if index else None,
        "site_files": sum(1 for p in site.rglob("*") if p.is_file()),
    }


def verdicts(r: dict) -> dict:
    lh_min = min(s["median"] for page in r["lighthouse"].values() for s in page["scores"].values())
    heaviest = max(w["gzip_kib"] for w in r["weight"].values())
    scale = r["scaling"]
    return {
        "Lighthouse: every category 100 on home and every chapter": lh_min >= BUDGETS["lighthouse_each_category"],
        "First visit <= 100 KiB gzip, home and every chapter": heaviest <= BUDGETS["first_visit_gzip_kib"],
        "Full pipeline build <= 10 s (cold handout cache)": r["builds"]["full_cold"]["median"] <= BUDGETS["full_build_s"],
        "Engine build <= 1.5x plain Material": r["builds"]["site_vs_baseline_ratio"] <= BUDGETS["site_build_ratio"],
        "Warm pipeline <= 1.5x plain Material at 1x, 4x and 16x": all(
            x["warm_vs_plain"] <= BUDGETS["warm_build_ratio"] for x in scale.values()),
        "Serve: edit to page <= 1 s": r["incremental"]["median"] <= BUDGETS["incremental_rebuild_s"],
        "Peak memory < 300 MB at 16x (cold pipeline, all processes, PSS)": scale["16x"]["peak_memory_mb_cold"]["median"]
        < BUDGETS["peak_memory_mb_16x"],
        "Peak memory < 300 MB at 16x (cold pipeline, the largest process)":
            scale["16x"]["largest_process_mb_cold"]["median"] < BUDGETS["peak_memory_mb_16x"],
    }


def fmt(s: dict, unit: str = "s") -> str:
    return f"{s['median']:.2f} {unit} ({s['min']:.2f}–{s['max']:.2f}, {s['runs']} runs)"


def markdown_report(r: dict) -> str:
    m = r["machine"]
    lines = ["# Benchmark: latest measured figures", "",
             f"Measured {m['date']} on {m['cores']} cores, {m['platform']}, Python {m['python']}, {m['chromium']}, "
             f"node {m['node']}; mkdocs {m['mkdocs']}, material {m['mkdocs-material']}, "
             f"macros {m['mkdocs-macros-plugin']}, pymdown {m['pymdown-extensions']}, weasyprint {m['weasyprint']}.",
             "Regenerate with `make bench`. Medians with the range over the runs.", "",
             "## Budgets", "", "| Budget | Result |", "| --- | --- |"]
    lines += [f"| {name} | {'pass' if ok else 'FAIL'} |" for name, ok in r["verdicts"].items()]
    b = r["builds"]
    lines += ["", "## Build time", "", "| Build | Time |", "| --- | --- |",
              f"| Plain Material baseline (same pages, nav and Markdown extensions; no macros, overrides, offline plugin) | {fmt(b['baseline'])} |",
              f"| Engine alone: our MkDocs step (`mkdocs build --strict`, compiled theme templates kept; macros, overrides, offline; no handouts, no zip) | {fmt(b['site_only'])} |",
              f"| Ratio engine / baseline | {b['site_vs_baseline_ratio']} |",
              f"| Page content each build renders (article HTML): baseline / ours | {b['article_kib']['baseline']} KiB / "
              f"{b['article_kib']['site_only']} KiB ({b['content_ratio']}x) |",
              f"| Ratio per KiB of content rendered (engine / baseline) | "
              f"{b['site_vs_baseline_ratio'] / b['content_ratio']:.2f} |",
              f"| Full pipeline `guide build`, cold handout cache (site + PDFs + zip) | {fmt(b['full_cold'])} |",
              f"| Full pipeline `guide build`, warm handout cache | {fmt(b['full_warm'])} |",
              f"| Of which the steps after the engine, cold (full cold minus engine, medians) | "
              f"{b['full_cold']['median'] - b['site_only']['median']:.2f} s |",
              f"| `guide serve`: edit one page until the served page shows it | {fmt(r['incremental'])} |"]
    lines += ["", "## Build time as the guide grows (chapters copied 4x and 16x)", "",
              "| Size | Pages | Plain Material | Engine alone | Pipeline cold | Pipeline warm | Warm / plain | "
              "Cold s/page | Cold s/chapter | Warm s/page | Peak memory, cold (all processes' PSS / largest process) | Whole-guide PDF |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for size, x in r["scaling"].items():
        lines.append(f"| {size} | {x['pages']} | {fmt(x['plain_material'])} | {fmt(x['engine'])} | {fmt(x['cold'])} | "
                     f"{fmt(x['warm'])} | {x['warm_vs_plain']} | {x['cold_s_per_page']} | "
                     f"{x.get('cold_s_per_chapter', '–')} | {x['warm_s_per_page']} | "
                     f"{x['peak_memory_mb_cold']['median']:.0f} / {x['largest_process_mb_cold']['median']:.0f} MB | "
                     f"{x['guide_pdf_pages']} pages |")
    lines += ["", "## Page weight (first visit, served gzip-compressed)", "",
              "| Page | Transferred (gzip) | Uncompressed | Requests |", "| --- | --- | --- | --- |"]
    for name, w in r["weight"].items():
        lines.append(f"| {name} (`{r['lighthouse'][name]['path']}`) | {w['gzip_kib']} KiB | {w['raw_kib']} KiB | {w['requests']} |")
    heaviest = max(r["weight"], key=lambda n: r["weight"][n]["gzip_kib"])
    lines += ["", f"Largest files on the heaviest first visit, {heaviest} (gzip bytes / raw bytes):", ""]
    lines += [f"- `{f['url']}`: {f['gzip']} / {f['raw']}" for f in r["weight"][heaviest]["largest"]]
    a = r["artefacts"]
    lines += ["", "## Artefacts", "", f"- Search index: {a['search_index_kib']} KiB",
              f"- Offline zip: {a['zip_kib']} KiB", f"- Files in the site: {a['site_files']}", ""]
    lines += [f"- `handouts/{n}`: {k} KiB" for n, k in a["pdf_kib"].items()]
    lines += ["", "## Lighthouse (mobile, simulated throttling, gzip server)", "",
              "| Page | Performance | Accessibility | Best practices | SEO | FCP | LCP | TBT | CLS | Points lost to |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, lh in r["lighthouse"].items():
        s, mt = lh["scores"], lh["metrics"]
        lines.append(
            f"| {name} | {s['performance']['median']:.0f} | {s['accessibility']['median']:.0f} | "
            f"{s['best-practices']['median']:.0f} | {s['seo']['median']:.0f} | "
            f"{mt['first-contentful-paint']['median']:.0f} ms | {mt['largest-contentful-paint']['median']:.0f} ms | "
            f"{mt['total-blocking-time']['median']:.0f} ms | {mt['cumulative-layout-shift']['median']:.3f} | "
            + (", ".join(f"{k.replace('-', ' ')} {v}" for k, v in lh["performance_lost"].items() if v >= 0.1) or "none")
            + " |")
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per build measurement")
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page")
    parser.add_argument("--weight-runs", type=int, default=3, help="first visits per page for the weight")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        print("Measuring build times…", flush=True)
        builds = build_times(project, args.runs)
        site = project / "out" / "f"
        print("Measuring growth (1x, 4x, 16x)…", flush=True)
        scale = scaling(project, args.runs)
        print("Measuring incremental rebuild…", flush=True)
        incremental = incremental_rebuild(project, args.runs)
        partial = {"machine": machine(), "builds": builds, "scaling": scale, "incremental": incremental}
        (HERE / "tmp").mkdir(exist_ok=True)
        (HERE / "tmp" / "partial.json").write_text(json.dumps(partial, indent=2))  # kept if a later step fails
        print(json.dumps(partial, indent=1), flush=True)
        print("Measuring page weight…", flush=True)
        weight = page_weight(site, args.weight_runs)
        print("Running Lighthouse…", flush=True)
        lh = lighthouse(site, args.lighthouse_runs)
        report = {"machine": machine(), "budgets": BUDGETS, "builds": builds, "scaling": scale, "incremental": incremental,
                  "weight": weight, "artefacts": artefact_sizes(site), "lighthouse": lh}
    report["verdicts"] = verdicts(report)
    (HERE / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    (HERE / "latest.md").write_text(markdown_report(report))
    print(markdown_report(report))


if __name__ == "__main__":
    main()

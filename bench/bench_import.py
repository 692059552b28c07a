"""Import speed and memory: milliseconds and SQL queries per article at several corpus sizes, and peak memory.

Run: .venv/bin/python bench/bench_import.py [--articles 50 300] [--copies] [--again] [--profile FILE]
     [--read-ahead auto|on|off|wait]
For each size, a fresh process migrates a scratch database (SQLite in a temp folder unless DATABASE_URL is set; for
PostgreSQL: bin/with-postgres .venv/bin/python bench/bench_import.py) and imports that many generated articles (the
seed article under new slugs, every language and every defect) through `import_articles`, the function
`manage.py import_articles` runs, timed in the process, so Python's start-up and Django's set-up are not counted.
Each copy's first heading gets the article's number, so no two bodies are the same and no cache of a parse serves
one article from another's; `--copies` imports identical copies, as bench_site does.
Prints wall-clock and CPU ms per article (CPU time is what a busy machine disturbs least; on SQLite it includes
the database's work), queries per article, and the process's peak resident memory before and after the import
(getrusage's maxrss). Target (issue 15): ≤ 40 ms an article, the same at every size, and memory flat: the peak after
the import must not grow with the number of articles. `--again` imports the same folder a second time (nothing
changed); `--changed` imports it a second time with every body changed (its first heading), as a re-import of an
edited corpus does: every version is rendered and its row updated. `--profile FILE` writes a cProfile of the first
import of the largest size. `--statements N` (PostgreSQL with pg_stat_statements in shared_preload_libraries, as
`-c shared_preload_libraries=pg_stat_statements` on the server's command line) prints after each import the N
statements that cost the server most, per article: calls and execution time, a trigger's statements with their own
line (and counted in the statement that fired them too).
`manage.py import_articles` parses, checks and renders the next articles in a second process (low priority, never
waited for) while it writes one when the folder has 10 articles or more and the machine 2 cores or more; `--read-ahead
on` or `off` decides it here (default: as the command would). `--read-ahead wait` has each save wait for the second
process, as the tests do: its CPU figure is then the importing process's own work when a second core keeps up, which
a busy machine's "on" figures cannot show. The line says which ran, "read ahead" (", waited for"), or "one process",
and gives the second process's peak memory beside the importing process's, and its CPU time. On PostgreSQL running
on this host, the line adds the database server's CPU time (all its processes: GIN index upkeep is the server's).
"""

import argparse
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 40


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def change_every_body(folder: Path) -> None:
    """Add a word to the first heading of every file's body, so that a second import writes every version again."""
    for path in folder.glob("*/*.md"):
        text = path.read_text("utf-8")
        end = text.index("\n", text.index("\n# ") + 1)
        path.write_text(f"{text[:end]} (changed){text[end:]}", "utf-8")


def generate_distinct_articles(folder: Path, count: int) -> None:
    """The seed article `count` times (bench_site.generate_articles), each body with its number in its first heading."""
    from bench.bench_site import generate_articles

    generate_articles(folder, count)
    for index, article in enumerate(sorted(folder.iterdir())):
        for path in article.glob("*.md"):
            text = path.read_text("utf-8")
            start = text.index("\n# ") + 1
            end = text.index("\n", start)
            path.write_text(f"{text[:end]} {index}{text[end:]}", "utf-8")


class ChildrenMemory:
    """The largest peak resident memory (VmHWM) of this process's children while it runs, polled from /proc.

    getrusage's figure for children is no use here: it counts a spawned child's pages from before its exec, when it
    was a copy of this process.
    """

    def __init__(self):
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> "ChildrenMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        children: set[str] = set()
        while not self._stop.wait(0.5):
            if not children:  # found once: then only their own status files are read
                stats = Path("/proc").glob("[0-9]*/stat")
                children = {stat.parent.name for stat in stats if _parent(stat) == os.getpid()}
            for pid in children:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kib = max(self.peak_kib, int(line.split()[1]))


def _children_cpu() -> float:
    """CPU seconds of this process's children that ended (the second process, once the import shut it down)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _server_cpu(connection) -> float | None:
    """CPU seconds the PostgreSQL server has used so far, all its processes, when it runs on this host (else None).

    The postmaster's own time and its ended children's (the connections closed, the autovacuum workers done), and
    the time of its children alive now (this connection's backend, autovacuum, the writers).
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    tick = os.sysconf("SC_CLK_TCK")
    try:
        postmaster = _parent(Path(f"/proc/{backend}/stat"))
        fields = _stat_fields(Path(f"/proc/{postmaster}/stat"))
        total = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        for stat in Path("/proc").glob("[0-9]*/stat"):
            if _parent(stat) == postmaster:
                try:
                    total += sum(int(value) for value in _stat_fields(stat)[11:13])
                except (OSError, IndexError, ValueError):
                    continue  # ended meanwhile: counted in the postmaster's children's time
    except (OSError, IndexError, ValueError):
        return None
    return total / tick


def _stat_fields(stat: Path) -> list[str]:
    """The fields of /proc/PID/stat after the process name (the first is the state)."""
    return stat.read_text().rsplit(")", 1)[1].split()


def _parent(stat: Path) -> int:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _statements_reset(connection) -> bool:
    """Empty pg_stat_statements and have it count this connection's statements, nested ones too; False when the
    server has it not loaded (or is not PostgreSQL)."""
    from django.db import DatabaseError

    if connection.vendor != "postgresql":
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            cursor.execute("SELECT pg_stat_statements_reset()")
            cursor.execute("SET pg_stat_statements.track = 'all'")
    except DatabaseError as error:
        print(f"no statement figures: {str(error).splitlines()[0]}")
        return False
    return True


def _statements_print(connection, *, count: int, top: int) -> None:
    """Print the `top` statements of this database that cost the server most since the reset, per article."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT calls, total_exec_time, query FROM pg_stat_statements "
            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND query NOT LIKE '%%pg_stat_statements%%' ORDER BY total_exec_time DESC LIMIT %s",
            [top],
        )
        rows = cursor.fetchall()
    for calls, milliseconds, query in rows:
        print(
            f"    {milliseconds / count:7.3f} ms {calls / count:6.2f} calls an article  {' '.join(query.split())[:110]}"
        )


def one_size(
    count: int, *, again: bool, changed: bool, profile: str | None, copies: bool, read_ahead: str, statements: int
) -> None:
    """Import `count` generated articles in this process and print one line of figures."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from articles.import_ahead import FilesReadAhead, read_ahead_worth_it
    from articles.services import import_articles
    from bench.bench_site import generate_articles

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # PostgreSQL's database is shared by the sizes
    call_command("collectstatic", interactive=False, verbosity=0)  # stored pages name the hashed static files
    scratch = Path(tempfile.mkdtemp(prefix="bench-import-files-"))
    try:
        (generate_articles if copies else generate_distinct_articles)(scratch, count)
        before = peak_mib()
        queries = [0]

        def counted(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        runs = ["first"] + (["again"] if again else []) + (["changed"] if changed else [])
        ahead = read_ahead_worth_it(count) if read_ahead == "auto" else read_ahead in ("on", "wait")
        FilesReadAhead.wait = read_ahead == "wait"
        for run in runs:
            queries[0] = 0
            if run == "changed":
                change_every_body(scratch)
            profiler = None
            if profile and run == "first":
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            counting = statements > 0 and _statements_reset(connection)
            server_cpu = _server_cpu(connection)
            started, cpu, children_cpu = time.perf_counter(), time.process_time(), _children_cpu()
            with connection.execute_wrapper(counted), ChildrenMemory() as children:
                report = import_articles(path=scratch, read_ahead=ahead)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            children_cpu = _children_cpu() - children_cpu
            server_cpu = None if server_cpu is None else _server_cpu(connection) - server_cpu
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(profile)
            written = len(report.created) + len(report.updated)
            kind = ("copies" if copies else "distinct") + (", read ahead" if ahead else ", one process")
            kind += ", waited for" if FilesReadAhead.wait else ""
            used, sent = FilesReadAhead.last_used
            print(
                f"{connection.vendor:10} {kind:34} {count:5} articles  {run:7}  "
                f"{elapsed * 1000 / count:6.1f} ms an article (CPU {cpu * 1000 / count:6.1f} ms"
                + ("" if server_cpu is None else f", database server CPU {server_cpu * 1000 / count:5.1f} ms")
                + ")  "
                f"{queries[0] / count:5.1f} queries an article  {written:5} versions written  "
                f"peak memory {before:4.0f} MiB before, {peak_mib():4.0f} MiB after"
                + (
                    f" (second process {children.peak_kib / 1024:4.0f} MiB, CPU {children_cpu * 1000 / count:5.1f} ms "
                    f"an article, its work used for {used} of {sent} articles)"
                    if ahead
                    else ""
                ),
                flush=True,
            )
            if counting:
                _statements_print(connection, count=count, top=statements)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[50, 300])
    parser.add_argument("--again", action="store_true", help="import the same folder a second time")
    parser.add_argument("--changed", action="store_true", help="import it a second time with every body changed")
    parser.add_argument("--copies", action="store_true", help="identical copies of the seed article")
    parser.add_argument("--profile", help="write a cProfile of the largest import to this file")
    parser.add_argument(
        "--statements", type=int, default=0, help="PostgreSQL: print the N statements that cost the server most"
    )
    parser.add_argument(
        "--read-ahead",
        choices=["auto", "on", "off", "wait"],
        default="auto",
        help="parse, check and render in a second process (wait: each save waits for it)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process: import this many
    options = parser.parse_args()
    if options.one:
        one_size(
            options.one,
            again=options.again,
            changed=options.changed,
            profile=options.profile,
            statements=options.statements,
            copies=options.copies,
            read_ahead=options.read_ahead,
        )
        return
    largest = max(options.articles)
    for count in options.articles:
        scratch = Path(tempfile.mkdtemp(prefix="bench-import-"))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}"),
            "GLOSSARY_GENERATION_FILE": str(scratch / "generation"),
            "DJANGO_STATIC_ROOT": str(scratch / "static"),
        }
        command = [sys.executable, __file__, "--one", str(count)]
        command += ["--again"] if options.again else []
        command += ["--changed"] if options.changed else []
        command += ["--statements", str(options.statements)] if options.statements else []
        command += ["--copies"] if options.copies else []
        command += ["--read-ahead", options.read_ahead]
        if options.profile and count == largest:
            command += ["--profile", options.profile]
        try:
            subprocess.run(command, cwd=ROOT, env=env, check=True)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"target: ≤ {TARGET_MS} ms an article at every size, peak memory after the import the same at every size")


if __name__ == "__main__":
    main()

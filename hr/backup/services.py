"""Backups of the whole database and their restore.

SQLite: sqlite3's online backup (Connection.backup) copies a consistent snapshot while the
application keeps running (WAL readers and the writer are not blocked); the copy is a plain
single-file database. PostgreSQL: pg_dump's custom format, restored with pg_restore in a single
transaction, so a failed restore leaves the database as it was.

A backup holds every worker's personal data and pay: files are created readable by their owner
only (0600)."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
KINDS = {"sqlite": "SQLite 数据库文件", "postgresql": "PostgreSQL 备份（pg_dump -Fc）"}
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".dump"}


class BackupError(Exception):
    """A refusal or failure, with a message for the operator (in Chinese, like the rest)."""


@dataclass
class BackupInfo:
    path: Path
    kind: str
    size: int


def database_kind(uri: str) -> str:
    backend = make_url(uri).get_backend_name()
    if backend not in KINDS:
        raise BackupError(f"不支持备份该类型的数据库：{backend}")
    return backend


def file_kind(path: str | os.PathLike[str]) -> str | None:
    """'sqlite', 'postgresql' or None, from the file's first bytes."""
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None


def default_path(folder: str | os.PathLike[str], uri: str, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return Path(folder) / f"shequ-{stamp}{SUFFIX[database_kind(uri)]}"


def _sqlite_path(uri: str) -> str:
    url = make_url(uri)
    if not url.database or url.database == ":memory:":
        raise BackupError("内存中的 SQLite 数据库无法备份。")
    return url.database


def _private_tempfile(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".backup-", dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o600)
    return Path(tmp)


def create_backup(uri: str, target: str | os.PathLike[str]) -> BackupInfo:
    """Write a backup of the database at `uri` to `target` (replaced only once complete)."""
    kind = database_kind(uri)
    path = Path(target)
    tmp = _private_tempfile(path)
    try:
        if kind == "sqlite":
            _sqlite_backup(_sqlite_path(uri), tmp)
        else:
            _pg_dump(make_url(uri), tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupInfo(path, kind, path.stat().st_size)


def _sqlite_backup(source: str, target: Path) -> None:
    if not os.path.exists(source):
        raise BackupError(f"数据库文件不存在：{source}")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        # A self-contained file: no -wal beside it is needed to read the copy.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def check_backup(path: str | os.PathLike[str], uri: str) -> str:
    """Refuse a file that cannot be restored into this database; return its kind."""
    if not os.path.isfile(path):
        raise BackupError(f"备份文件不存在：{path}")
    want = database_kind(uri)
    got = file_kind(path)
    if got is None:
        raise BackupError(f"{path} 不是本系统的备份文件（既不是 {KINDS['sqlite']}，也不是 {KINDS['postgresql']}）。")
    if got != want:
        raise BackupError(
            f"{path} 是{KINDS[got]}，而当前数据库是 {want}：只能恢复{KINDS[want]}。"
        )
    if got == "sqlite":
        _check_sqlite_file(path)
    else:
        _pg_list(path)
    return got


def _check_sqlite_file(path: str | os.PathLike[str]) -> None:
    try:
        con = sqlite3.connect(f"file:{os.fspath(path)}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA quick_check").fetchone()
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{path} 已损坏，无法读取（{e}）。") from None
    if not ok or ok[0] != "ok":
        raise BackupError(f"{path} 未通过完整性检查，未恢复。")
    if "alembic_version" not in tables or "worker" not in tables:
        raise BackupError(f"{path} 是 SQLite 数据库，但不是本系统的备份（缺少本系统的数据表）。")


def restore_backup(path: str | os.PathLike[str], uri: str) -> str:
    """Replace the database's contents with the backup's. The caller must have closed its own
    connections (engine.dispose()); other processes should be stopped for the duration."""
    kind = check_backup(path, uri)
    if kind == "sqlite":
        _sqlite_restore(os.fspath(path), _sqlite_path(uri))
    else:
        _pg_restore(os.fspath(path), make_url(uri))
    return kind


def _sqlite_restore(source: str, target: str) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        # The backup API replaces every page of the target in one write transaction:
        # readers see the old database or the new one, never a mixture.
        src.backup(dst)
    except sqlite3.OperationalError as e:
        raise BackupError(f"恢复失败，数据库未改变（{e}）。请先停止应用后重试。") from None
    finally:
        dst.close()
        src.close()


# PostgreSQL ---------------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"找不到 {name}：请安装 postgresql-client（scripts/system-packages.sh）。")
    return found


def _pg_env(url: URL) -> tuple[list[str], dict[str, str]]:
    """libpq settings from the URL: the password goes in the environment, never in argv."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    args = []
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    for key, value in url.query.items():
        if key == "sslmode" and isinstance(value, str):
            env["PGSSLMODE"] = value
    args.append("--no-password")
    return args, env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise BackupError(f"{what}失败：" + ("；".join(detail[-3:]) or f"退出码 {proc.returncode}"))


def _pg_dump(url: URL, target: Path) -> None:
    args, env = _pg_env(url)
    cmd = [_pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges",
           "--file", str(target), "--dbname", str(url.database)]
    _run(cmd, env, "pg_dump 备份")


def _pg_list(path: str | os.PathLike[str]) -> None:
    proc = subprocess.run([_pg_tool("pg_restore"), "--list", os.fspath(path)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BackupError(f"{path} 已损坏或不完整，无法读取：{proc.stderr.strip()[:200]}")
    if "alembic_version" not in proc.stdout or "TABLE public worker " not in proc.stdout:
        raise BackupError(f"{path} 不是本系统的完整备份（缺少本系统的数据表）：文件可能已损坏、不完整或来自其他数据库。")


def _pg_restore(path: str, url: URL) -> None:
    args, env = _pg_env(url)
    # A session that holds a lock on a table (the application in the middle of a request)
    # makes the restore give up after a while instead of hanging; the single transaction
    # then leaves the database as it was.
    env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + " -c lock_timeout=30s").strip()
    cmd = [_pg_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
           "--single-transaction", "--exit-on-error", "--dbname", str(url.database), path]
    _run(cmd, env, "pg_restore 恢复")

"""manifest.json: what a backup holds and the checksums that prove it is whole.

Format 1:
    {
      "format": "greenjobs-backup", "format_version": 1,
      "created_at": ISO 8601 (UTC), "snapshot_at": the database's time of the snapshot,
      "portal": {"version": from pyproject.toml or null, "git": `git describe` or null},
      "database": {
        "engine": "postgresql", "server_version": "15.20", "name": the database's name,
        "dump": {"name": "database.dump", "size": bytes, "sha256": hex},
        "tables": {table: rows, ...},          # every table of the schema, at the snapshot
        "migrations": {app: last applied migration, ...}
      },
      "storage": {"backend": dotted class name, "files": count, "bytes": total},
      "files": [{"name": storage name, "size": bytes, "sha256": hex, "referenced": bool}, ...]
    }
A file is `referenced` when a row of the snapshot names it; the others were in the storage when the
backup began (orphans, or files no row names yet).
"""

import json
import shutil
import subprocess
import tomllib
from pathlib import Path

from django.conf import settings

from . import files
from .errors import BackupError

FORMAT = "greenjobs-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DUMP_NAME = "database.dump"
FILES_DIR = "files"
# Enough for an operator to see what is wrong; the count says how much more.
SHOWN_PROBLEMS = 10


def portal_version() -> dict:
    version = None
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as fileobj:
            version = tomllib.load(fileobj).get("project", {}).get("version")
    except (OSError, tomllib.TOMLDecodeError):
        pass
    described = None
    git = shutil.which("git")
    if git:
        try:
            result = subprocess.run(  # noqa: S603 - a fixed command
                [git, "describe", "--always", "--dirty", "--tags"],
                cwd=settings.BASE_DIR,
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
            described = result.stdout.strip() if result.returncode == 0 else None
        except (OSError, subprocess.SubprocessError):
            pass
    return {"version": version, "git": described or None}


def write(directory: Path, manifest: dict) -> None:
    path = directory / MANIFEST_NAME
    with path.open("x", encoding="utf-8") as fileobj:
        json.dump(manifest, fileobj, ensure_ascii=False, indent=2)
        fileobj.write("\n")


def read(directory: Path) -> dict:
    path = directory / MANIFEST_NAME
    try:
        with path.open(encoding="utf-8") as fileobj:
            manifest = json.load(fileobj)
    except FileNotFoundError as exc:
        raise BackupError(f"{directory} is not a complete backup: it has no {MANIFEST_NAME}") from exc
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Green Jobs backup manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} has format version {manifest.get('format_version')!r}; "
            f"this portal reads version {FORMAT_VERSION}"
        )
    try:
        names = [files.check_name(entry["name"]) for entry in manifest["files"]]
        dump = manifest["database"]["dump"]
        if not (isinstance(dump["size"], int) and isinstance(dump["sha256"], str)):
            raise TypeError("database.dump")
        dict(manifest["database"]["tables"])
    except (KeyError, TypeError) as exc:
        raise BackupError(f"{path} lacks {exc}") from exc
    if len(set(names)) != len(names):
        raise BackupError(f"{path} names a file twice")
    return manifest


def verify(directory: Path, manifest: dict) -> None:
    """Every file of the backup is there with the size and SHA-256 the manifest gives, or BackupError."""
    dump = manifest["database"]["dump"]
    expected = [(directory / DUMP_NAME, dump)] + [
        (directory / FILES_DIR / entry["name"], entry) for entry in manifest["files"]
    ]
    problems = []
    for path, entry in expected:
        try:
            size, sha256 = files.path_digest(path)
        except FileNotFoundError:
            problems.append(f"{path.relative_to(directory)} is missing")
            continue
        if size != entry["size"] or sha256 != entry["sha256"]:
            problems.append(f"{path.relative_to(directory)} does not match its checksum")
    if problems:
        raise BackupError(f"the backup in {directory} is damaged; nothing was changed:\n" + listed(problems))


def listed(problems: list[str]) -> str:
    shown = "\n".join(f"  {problem}" for problem in problems[:SHOWN_PROBLEMS])
    if len(problems) > SHOWN_PROBLEMS:
        shown += f"\n  … and {len(problems) - SHOWN_PROBLEMS} more"
    return shown

"""Turn the paths on a command line into the files to check."""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

SKIPPED_NAMES = ("~$*", ".~lock.*", "Thumbs.db", "desktop.ini", ".DS_Store", "*.tmp", "~*.tmp")


@dataclass(frozen=True)
class Candidate:
    path: str
    explicit: bool  # named on the command line, not found in a folder walk


def iter_candidates(paths: Iterable[str], exclude: Iterable[str] = ()) -> Iterator[Candidate]:
    """Named files as they are; folders walked in sorted order, skipping hidden entries,
    Office lock files and anything matching an `exclude` glob. Symlinked folders are not
    followed, so a link loop cannot trap the walk."""
    patterns = list(exclude)
    for path in paths:
        if os.path.isdir(path):
            yield from (Candidate(p, False) for p in _walk(path, patterns))
        else:
            yield Candidate(path, True)


def is_excluded(path: str, patterns: list[str]) -> bool:
    name = os.path.basename(path)
    normalised = path.replace(os.sep, "/")
    return any(
        fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(normalised, pattern)
        for pattern in patterns
    )


def _walk(root: str, patterns: list[str]) -> Iterator[str]:
    for folder, dirs, files in os.walk(root, onerror=None, followlinks=False):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and not is_excluded(os.path.join(folder, d), patterns)
        )
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.startswith(".") or is_excluded(path, [*SKIPPED_NAMES, *patterns]):
                continue
            yield path


# --- the scanner's walk: every entry ends as a file to check or a status, never a crash ---

TEMP_NAMES = ("~$*", ".~lock.*", "~*.tmp", "*.tmp", "*.temp", "*.swp", "*.part", "*.crdownload")
SYSTEM_NAMES = ("Thumbs.db", "desktop.ini", ".DS_Store", "Icon\r", "._*")
SYSTEM_FOLDERS = (
    "$RECYCLE.BIN",
    "System Volume Information",
    "#recycle",
    "@eaDir",
    ".snapshot",
    "~snapshot",
    "__MACOSX",
)
WINDOWS_HIDDEN_OR_SYSTEM = 0x2 | 0x4  # FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM
WINDOWS_MAX_PATH = 259


@dataclass(frozen=True)
class WalkOptions:
    include: tuple[str, ...] = ()  # if given, a file must match one of these globs
    exclude: tuple[str, ...] = ()
    include_hidden: bool = False  # hidden and system files and folders
    include_temp: bool = False  # Office lock files and temporary files
    follow_links: bool = False  # symlinked folders; loops are detected and reported


@dataclass(frozen=True)
class Entry:
    """A file to check (`stat` set) or something the walk could not use (`problem` set)."""

    path: str
    root: str
    explicit: bool
    stat: os.stat_result | None = None
    problem: tuple[str, str] | None = None  # (status, message): "unreadable" or "skipped"
    note: str = ""  # e.g. a file name that is not valid UTF-8

    @property
    def relative(self) -> str:
        """The path relative to its root, with forward slashes."""
        if self.path == self.root:
            return os.path.basename(self.path)
        return os.path.relpath(self.path, self.root).replace(os.sep, "/")


def _glob_regex(patterns: Iterable[str]) -> re.Pattern[str] | None:
    patterns = list(patterns)
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns), re.DOTALL)


class _Matcher:
    """Glob matching on the name or the root-relative path, compiled once (hot path)."""

    def __init__(self, options: WalkOptions) -> None:
        skip_files = [*([] if options.include_temp else TEMP_NAMES)]
        skip_files += [] if options.include_hidden else SYSTEM_NAMES
        self.skip_file = _glob_regex(skip_files)
        self.skip_folder = None if options.include_hidden else _glob_regex(SYSTEM_FOLDERS)
        self.exclude = _glob_regex(options.exclude)
        self.include = _glob_regex(options.include)
        self.hidden = not options.include_hidden

    def folder_skipped(self, name: str, relative: str, entry: os.DirEntry) -> bool:
        if self.hidden and (name.startswith(".") or _windows_hidden(entry)):
            return True
        if self.skip_folder is not None and self.skip_folder.match(name):
            return True
        return self._excluded(name, relative)

    def file_skipped(self, name: str, relative: str, entry: os.DirEntry) -> bool:
        if self.hidden and (name.startswith(".") or _windows_hidden(entry)):
            return True
        if self.skip_file is not None and self.skip_file.match(name):
            return True
        if self._excluded(name, relative):
            return True
        return self.include is not None and not (
            self.include.match(name) or self.include.match(relative)
        )

    def _excluded(self, name: str, relative: str) -> bool:
        return self.exclude is not None and bool(
            self.exclude.match(name) or self.exclude.match(relative)
        )


def _windows_hidden(entry: os.DirEntry) -> bool:
    if os.name != "nt":
        return False
    try:
        return bool(entry.stat(follow_symlinks=False).st_file_attributes & WINDOWS_HIDDEN_OR_SYSTEM)
    except OSError:
        return False


def walk_entries(roots: Iterable[str], options: WalkOptions = WalkOptions()) -> Iterator[Entry]:
    """Files under the roots in sorted order, each with its `stat`, or with the problem that
    stopped the walk there: permission denied, a vanished file, a link loop, a broken link,
    a path too long. Symlinked folders are followed only on request, and loops are caught."""
    matcher = _Matcher(options)
    for root in roots:
        root = _long_path(root)
        try:
            status = os.stat(root)
        except OSError as error:
            yield Entry(root, root, True, problem=_os_problem(error, "file"))
            continue
        if not stat.S_ISDIR(status.st_mode):
            yield Entry(root, root, True, stat=status, note=_name_note(root))
            continue
        yield from _walk_folder(root, root, "", matcher, options, {_identity(status)})


def _walk_folder(
    folder: str,
    root: str,
    prefix: str,  # the folder relative to the root, "" or ending in "/"
    matcher: _Matcher,
    options: WalkOptions,
    seen: set[tuple[int, int]],
) -> Iterator[Entry]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as error:
        yield Entry(folder, root, False, problem=_os_problem(error, "folder"))
        return
    for entry in entries:
        path = _long_path(entry.path)
        relative = prefix + entry.name
        try:
            is_link = entry.is_symlink()
            is_folder = entry.is_dir(follow_symlinks=options.follow_links)
        except OSError as error:
            yield Entry(path, root, False, problem=_os_problem(error, "file"))
            continue
        if is_folder:
            if not matcher.folder_skipped(entry.name, relative, entry):
                inside = f"{relative}/"
                yield from _linked_or_plain(path, root, inside, matcher, options, seen, is_link)
            continue
        if is_link and entry.is_dir(follow_symlinks=True):
            continue  # a folder link we were told not to follow
        if matcher.file_skipped(entry.name, relative, entry):
            continue
        yield _file_entry(entry, path, root)


def _linked_or_plain(
    path: str,
    root: str,
    prefix: str,
    matcher: _Matcher,
    options: WalkOptions,
    seen: set[tuple[int, int]],
    is_link: bool,
) -> Iterator[Entry]:
    if not is_link:
        yield from _walk_folder(path, root, prefix, matcher, options, seen)
        return
    try:
        identity = _identity(os.stat(path))
    except OSError as error:
        yield Entry(path, root, False, problem=_os_problem(error, "folder"))
        return
    if identity in seen:
        message = "folder link loop: this folder links back to a folder already scanned"
        yield Entry(path, root, False, problem=("skipped", message))
        return
    yield from _walk_folder(path, root, prefix, matcher, options, seen | {identity})


def _file_entry(entry: os.DirEntry, path: str, root: str) -> Entry:
    try:
        status = entry.stat()
    except OSError as error:
        return Entry(path, root, False, problem=_os_problem(error, "file"))
    if not stat.S_ISREG(status.st_mode):
        return Entry(path, root, False, problem=("skipped", "not a regular file"))
    return Entry(path, root, False, stat=status, note=_name_note(entry.name))


def _identity(status: os.stat_result) -> tuple[int, int]:
    return (status.st_dev, status.st_ino)


def _name_note(name: str) -> str:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not valid UTF-8; undecodable bytes are shown as \\udcXX"
    return ""


def _long_path(path: str) -> str:
    """On Windows, paths past MAX_PATH need the extended-length prefix to open at all."""
    if os.name == "nt" and len(path) > WINDOWS_MAX_PATH and not path.startswith("\\\\?\\"):
        return "\\\\?\\" + os.path.abspath(path)
    return path


def _os_problem(error: OSError, what: str) -> tuple[str, str]:
    reason = error.strerror or str(error)
    if isinstance(error, FileNotFoundError):
        if what == "file" and os.path.islink(error.filename or ""):
            return ("skipped", "broken link: its target does not exist")
        return ("skipped", f"the {what} disappeared during the scan")
    if isinstance(error, PermissionError):
        return ("unreadable", f"cannot open the {what}: permission denied")
    if error.errno == errno.ENAMETOOLONG:
        return ("unreadable", f"the {what}'s path is too long for this system")
    if error.errno == errno.ELOOP:
        return ("skipped", "symbolic link loop")
    return ("unreadable", f"cannot open the {what}: {reason}")

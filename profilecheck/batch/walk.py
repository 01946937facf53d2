"""Turn the paths on a command line (files, folders, shared drives) into the files to check."""

from __future__ import annotations

import errno
import fnmatch
import operator
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from profilecheck.core.files import not_regular_message

TEMP_NAMES = ("~$*", ".~lock.*", "*.tmp", "*.temp", "*.swp", "*.part", "*.crdownload")  # ~*.tmp too
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
WINDOWS = os.name == "nt"
WINDOWS_HIDDEN_OR_SYSTEM = 0x2 | 0x4  # FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM
WINDOWS_MAX_PATH = 259
WILDCARDS = frozenset("*?[")
BY_NAME = operator.attrgetter("name")
FOLDER_LINK = ("skipped", "symlinked folder not followed")
OUTSIDE_LINK = ("skipped", "symlinked file outside the folder being walked; not followed")


@dataclass(frozen=True)
class WalkOptions:
    include: tuple[str, ...] = ()  # if given, a file must match one of these globs
    exclude: tuple[str, ...] = ()
    include_hidden: bool = False  # hidden and system files and folders
    include_temp: bool = False  # Office lock files and temporary files
    # symlinked folders, and symlinked files leading out of the root; loops are caught
    follow_links: bool = False


@dataclass(slots=True)  # slots, not frozen: a warm re-scan builds one per file (hot path)
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
        path, root = self.path, self.root
        if path == root:
            return os.path.basename(path)
        inside = root if root.endswith(os.sep) else root + os.sep
        if path.startswith(inside):  # as the walk builds paths; relpath is 10x slower
            return path[len(inside) :].replace(os.sep, "/")
        return os.path.relpath(path, root).replace(os.sep, "/")


class _Globs:
    """Glob patterns compiled once: exact names, `prefix*` and `*suffix` become plain string
    tests, the rest one regex (fnmatch semantics, case-sensitive)."""

    def __init__(self, patterns: Iterable[str]) -> None:
        exact, prefixes, suffixes, others = set(), [], [], []
        for pattern in patterns:
            if not WILDCARDS.intersection(pattern):
                exact.add(pattern)
            elif pattern.endswith("*") and not WILDCARDS.intersection(pattern[:-1]):
                prefixes.append(pattern[:-1])
            elif pattern.startswith("*") and not WILDCARDS.intersection(pattern[1:]):
                suffixes.append(pattern[1:])
            else:
                others.append(f"(?:{fnmatch.translate(pattern)})")
        self.exact = frozenset(exact)
        self.prefixes, self.suffixes = tuple(prefixes), tuple(suffixes)
        self.others = re.compile("|".join(others), re.DOTALL) if others else None

    def match(self, text: str) -> bool:
        return (
            text in self.exact
            or text.startswith(self.prefixes)
            or text.endswith(self.suffixes)
            or (self.others is not None and self.others.match(text) is not None)
        )


def _globs(patterns: Iterable[str]) -> _Globs | None:
    patterns = tuple(patterns)
    return _Globs(patterns) if patterns else None


class _Matcher:
    """The skip rules: checks on the name first, then globs on the name or the relative path."""

    def __init__(self, options: WalkOptions) -> None:
        hidden = () if options.include_hidden else (".*",)
        skip_files = [*hidden, *([] if options.include_temp else TEMP_NAMES)]
        skip_files += [] if options.include_hidden else SYSTEM_NAMES
        self.file_name = _globs(skip_files)
        self.folder_name = _globs([*hidden, *([] if options.include_hidden else SYSTEM_FOLDERS)])
        self.exclude = _globs(options.exclude)
        self.include = _globs(options.include)
        self.windows_hidden = WINDOWS and not options.include_hidden
        # the checks beyond the name, or None when there are none (the usual case)
        more = self.windows_hidden or self.exclude is not None or self.include is not None
        self.file_path = self._file_path if more else None

    def folder_skipped(self, name: str, relative: str, entry: os.DirEntry) -> bool:
        if self.folder_name is not None and self.folder_name.match(name):
            return True
        if self.windows_hidden and _windows_hidden(entry):
            return True
        return self.exclude is not None and (
            self.exclude.match(name) or self.exclude.match(relative)
        )

    def _file_path(self, name: str, relative: str, entry: os.DirEntry) -> bool:
        if self.windows_hidden and _windows_hidden(entry):
            return True
        if self.exclude is not None and (self.exclude.match(name) or self.exclude.match(relative)):
            return True
        return self.include is not None and not (
            self.include.match(name) or self.include.match(relative)
        )


def _windows_hidden(entry: os.DirEntry) -> bool:
    try:
        return bool(entry.stat(follow_symlinks=False).st_file_attributes & WINDOWS_HIDDEN_OR_SYSTEM)
    except OSError:
        return False


def walk_entries(roots: Iterable[str], options: WalkOptions = WalkOptions()) -> Iterator[Entry]:
    """Files under the roots in sorted order, each with its `stat`, or with the problem that
    stopped the walk there: permission denied, a vanished file, a link loop, a broken link,
    a path too long, a FIFO or a device. A walk stays inside its root unless asked to follow
    links: a symlinked folder, or a symlinked file that leads out of the root, gets a
    `skipped` entry instead (with `follow_links`, they are followed and loops are caught).
    A path named as a root is followed wherever it leads."""
    matcher = _Matcher(options)
    for root in roots:
        root = _long_path(root)
        try:
            status = os.stat(root)
        except OSError as error:
            yield Entry(root, root, True, problem=_os_problem(error, "file"))
            continue
        if stat.S_ISREG(status.st_mode):
            yield Entry(root, root, True, status, None, _name_note(root))
        elif not stat.S_ISDIR(status.st_mode):  # named: unsupported, like any non-document
            problem = ("unsupported", not_regular_message(status.st_mode))
            yield Entry(root, root, True, None, problem, _name_note(root))
        else:
            yield from _walk_tree(root, _identity(status), matcher, options.follow_links)


def _walk_tree(
    root: str, identity: tuple[int, int], matcher: _Matcher, follow_links: bool
) -> list[Entry]:
    """Depth first in sorted order, with a stack of folder listings instead of recursion:
    no depth limit, and no generator chain for each entry to climb through."""
    found: list[Entry] = []
    listing = _listing(root, root, found)
    if listing is None:
        return found
    # (the rest of a folder's sorted listing, its root-relative prefix, folders on the way here)
    stack = [(iter(listing), "", frozenset([identity]))]
    # the hot loop: one pass per file, the name checks inlined
    names = matcher.file_name or _Globs(())
    exact, starts, ends, others = names.exact, names.prefixes, names.suffixes, names.others
    skip_path = matcher.file_path
    append, is_regular = found.append, stat.S_ISREG
    inside_root = os.path.join(os.path.realpath(root), "")
    while stack:
        rest, prefix, seen = stack[-1]
        for entry in rest:
            name = entry.name
            path = _long_path(entry.path) if WINDOWS else entry.path
            try:
                # a plain file (the usual case) in one call; links and folders in two or three
                is_link = is_folder = False
                if not entry.is_file(follow_symlinks=False):
                    is_link = entry.is_symlink()
                    is_folder = entry.is_dir(follow_symlinks=follow_links)
            except OSError as error:
                found.append(Entry(path, root, False, None, _os_problem(error, "file")))
                continue
            if is_folder:
                inside = _folder(entry, path, root, prefix + name, matcher, seen, is_link, found)
                if inside is not None:
                    stack.append(inside)
                    break  # into the folder; this listing resumes after it
                continue
            if is_link and not follow_links and _links_to_folder(entry):
                if not matcher.folder_skipped(name, prefix + name, entry):
                    append(Entry(path, root, False, None, FOLDER_LINK))
                continue
            if (
                name in exact
                or name.startswith(starts)
                or name.endswith(ends)
                or (others is not None and others.match(name))
            ):
                continue
            if skip_path is not None and skip_path(name, prefix + name, entry):
                continue
            try:
                status = entry.stat()
            except OSError as error:  # a broken link, a link loop, gone, denied
                append(Entry(path, root, False, None, _os_problem(error, "file")))
                continue
            if is_link and not follow_links and _leaves(path, inside_root):
                append(Entry(path, root, False, None, OUTSIDE_LINK))
            elif not is_regular(status.st_mode):
                problem = ("skipped", not_regular_message(status.st_mode))
                append(Entry(path, root, False, None, problem))
            else:
                note = "" if name.isascii() else _name_note(name)
                append(Entry(path, root, False, status, None, note))
        else:
            stack.pop()
    return found


def _folder(
    entry: os.DirEntry,
    path: str,
    root: str,
    relative: str,
    matcher: _Matcher,
    seen: frozenset[tuple[int, int]],
    is_link: bool,
    found: list[Entry],
) -> tuple[Iterator[os.DirEntry], str, frozenset[tuple[int, int]]] | None:
    """The stack frame for a folder to walk into, or None (skipped, a loop, unreadable)."""
    if matcher.folder_skipped(entry.name, relative, entry):
        return None
    if is_link:
        try:
            identity = _identity(os.stat(path))
        except OSError as error:
            found.append(Entry(path, root, False, None, _os_problem(error, "folder")))
            return None
        if identity in seen:
            message = "folder link loop: this folder links back to a folder already scanned"
            found.append(Entry(path, root, False, None, ("skipped", message)))
            return None
        seen = seen | {identity}
    listing = _listing(path, root, found)
    return None if listing is None else (iter(listing), f"{relative}/", seen)


def _links_to_folder(entry: os.DirEntry) -> bool:
    """Whether a link leads to a folder; a loop or a broken link is not one (it is reported
    where the file would be, as the link it is)."""
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False


def _leaves(path: str, inside_root: str) -> bool:
    """Whether a link's target lies outside the root (`inside_root` ends with a separator)."""
    return not os.path.join(os.path.realpath(path), "").startswith(inside_root)


def _listing(folder: str, root: str, found: list[Entry]) -> list[os.DirEntry] | None:
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=BY_NAME)
    except OSError as error:
        found.append(Entry(folder, root, False, None, _os_problem(error, "folder")))
        return None


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
    if WINDOWS and len(path) > WINDOWS_MAX_PATH and not path.startswith("\\\\?\\"):
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

"""Running LibreOffice headless to convert one file, under a time and a memory limit.

Each conversion runs in a private temporary folder: the input is copied in under a safe name
(`input.doc`; the original is only ever read), LibreOffice gets a private user profile there
(`-env:UserInstallation`) whose settings disable macros, block linked content from outside the
document and send any network access to a dead proxy, and, where the system allows it
(`unshare`), a network namespace with no network at all. It runs in its own process group,
which is killed whole (the `soffice` script, `oosplash` and `soffice.bin`) at the time limit or
when the conversion ends; its address space is capped with RLIMIT_AS. One conversion at a time
per process (a lock), so one worker never runs two.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from profilecheck.core.files import open_regular
from profilecheck.core.limits import PROCESS, Limits, cap_address_space

SOFFICE = "soffice"
TAIL = 2000  # characters of LibreOffice's output kept for a message
SAID = 200  # characters of a crash's output in a message
# What LibreOffice prints when it crashes or cannot map its libraries (the memory limit)
CRASH_WORDS = ("Fatal exception", "error while loading shared libraries", "bad_alloc",
               "Cannot allocate memory", "failed to map segment")  # fmt: skip
_ONE_AT_A_TIME = threading.Lock()
# Macros never run (MacroSecurityLevel 3 "very high" and DisableMacrosExecution), linked content
# is not fetched (BlockUntrustedRefererLinks, links never updated), and every proxy is a port
# nothing listens on, so a fetch fails at once rather than going out.
SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{items}
</oor:items>
"""
ITEMS = (
    ("org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "int", "3"),
    ("org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "boolean", "true"),
    ("org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "boolean", "true"),
    ("org.openoffice.Office.Writer/Content/Update", "Link", "int", "2"),
    ("org.openoffice.Office.Calc/Content/Update", "Link", "int", "2"),
    ("org.openoffice.Inet/Settings", "ooInetProxyType", "int", "1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPProxyName", "string", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", "int", "9"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", "string", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", "int", "9"),
    ("org.openoffice.Inet/Settings", "ooInetFTPProxyName", "string", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetFTPProxyPort", "int", "9"),
    ("org.openoffice.Inet/Settings", "ooInetNoProxy", "string", ""),
    ("org.openoffice.Office.Common/Misc", "UseOpenCL", "boolean", "false"),
)  # fmt: skip


class ConversionTimeout(Exception):
    """LibreOffice did not finish within `limit` (a phrase naming the limit)."""

    def __init__(self, limit: str) -> None:
        super().__init__(limit)
        self.limit = limit


class ConversionFailed(Exception):
    """LibreOffice ended without a converted file; the message says what it said."""


class ConversionCrashed(ConversionFailed):
    """LibreOffice crashed or could not start: perhaps at the memory limit (the message says)."""


@dataclass(frozen=True)
class Budget:
    seconds: float
    memory_mb: int
    time_limit: str  # how a message names the time limit that applies
    memory_limit: str


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which(SOFFICE)


def identity() -> str:
    """Which LibreOffice converts, for the scan cache's key (a result made without it, or by
    another build, is not reused): its program and the build in `versionrc`, or "absent"."""
    program = soffice()
    if program is None:
        return "absent"
    real = Path(program).resolve()
    versionrc = real.parent / "versionrc"
    try:
        stat = (versionrc if versionrc.is_file() else real).stat()
    except OSError:
        return f"{real}: unknown"
    return f"{real}: {stat.st_size} bytes, modified {stat.st_mtime_ns}"


def budget(limits: Limits) -> Budget:
    """The conversion's own limits, kept within the per-file ones of the worker (PROCESS)."""
    seconds = limits.conversion_timeout
    time_limit = f"the limit conversion_timeout = {seconds:g} s"
    per_file = PROCESS["timeout"] * limits.conversion_share
    if PROCESS["timeout"] and (seconds <= 0 or per_file < seconds):
        seconds = per_file
        time_limit = (
            f"{limits.conversion_share:.0%} of the time limit of {PROCESS['timeout']:g} s "
            "per file (--timeout)"
        )
    memory = limits.conversion_memory_mb
    memory_limit = f"the limit conversion_memory_mb = {memory:,}"
    if PROCESS["max_memory_mb"] and (memory <= 0 or PROCESS["max_memory_mb"] < memory):
        memory = PROCESS["max_memory_mb"]
        memory_limit = f"the memory limit of {memory:,} MB per file (--max-memory)"
    return Budget(seconds, memory, time_limit, memory_limit)


def convert(path: str, suffix: str, target: str, folder: Path, limits: Limits) -> Path:
    """Convert `path` (read only, never changed) into `folder`; `suffix` is the input's safe
    extension ("doc"), `target` LibreOffice's `--convert-to` argument ("docx:MS Word 2007
    XML"). The converted file, or ConversionTimeout / ConversionFailed."""
    program = soffice()
    if program is None:
        raise ConversionFailed("LibreOffice (soffice) is not installed")
    source = folder / f"input.{suffix}"
    with open_regular(path) as original, open(source, "xb") as copy:
        shutil.copyfileobj(original, copy)
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_settings(), encoding="utf-8")
    out = folder / "out"
    out.mkdir()
    command = [
        *_no_network(),
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
        "--convert-to", target, "--outdir", str(out), str(source),
    ]  # fmt: skip
    with _ONE_AT_A_TIME:
        output = _run(command, folder, budget(limits))
    converted = out / f"input.{target.split(':')[0]}"
    if not converted.is_file():
        said = _said(output)
        raise ConversionFailed(f"LibreOffice made no file{f': {said}' if said else ''}")
    if converted.stat().st_size > limits.max_converted_bytes:
        raise ConversionFailed(
            f"the converted file is larger than the limit max_converted_bytes = "
            f"{limits.max_converted_bytes:,}"
        )
    return converted


def _run(command: list[str], folder: Path, limits: Budget) -> str:
    log = folder / "soffice.log"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(folder),
        "TMPDIR": str(folder),
        "LANG": "C.UTF-8",
        "SAL_USE_VCLPLUGIN": "svp",  # headless, no display
        "no_proxy": "",
    }
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            command,
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed whole
            preexec_fn=functools.partial(cap_address_space, limits.memory_mb),  # in the child,
        )
        try:
            process.wait(timeout=limits.seconds if limits.seconds > 0 else None)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise ConversionTimeout(limits.time_limit) from None
        except BaseException:
            _kill_group(process)
            raise
        _kill_group(process)  # anything it left behind
    text = log.read_bytes()[-TAIL * 4 :].decode("utf-8", "replace")
    crashed = process.returncode < 0 or any(words in text for words in CRASH_WORDS)
    if crashed and not any((folder / "out").glob("input.*")):
        how = (
            f"was stopped by signal {-process.returncode}" if process.returncode < 0 else "crashed"
        )
        said = _said(text)[:SAID]
        raise ConversionCrashed(
            f"LibreOffice {how} ({said}); it may have hit {limits.memory_limit}, or the file "
            "makes it crash"
        )
    return text


def _said(output: str) -> str:
    """What LibreOffice said, for a message: its "Error: ..." lines, else all but the noise."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error")]
    return " ".join(errors or [line for line in lines if "javaldx" not in line])[-TAIL:]


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def _settings() -> str:
    items = "\n".join(
        f'<item oor:path="/{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>"
        for path, name, _kind, value in ITEMS
    )
    return SETTINGS.format(items=items)


@functools.cache
def _no_network() -> tuple[str, ...]:
    """`unshare --net --map-root-user` where this system lets an ordinary process make a network
    namespace (then LibreOffice has no network at all); else nothing, and the proxy settings
    and blocked links are what keep it off the network."""
    program = shutil.which("unshare")
    if program is None:
        return ()
    wrapper = (program, "--net", "--map-root-user")
    try:
        started = time.monotonic()
        probe = subprocess.run(
            [*wrapper, "true"], capture_output=True, timeout=5, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return wrapper if probe.returncode == 0 and time.monotonic() - started < 5 else ()

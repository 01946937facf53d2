"""Tesseract in this process: the `tesseract` command's answer without starting it for each page.

Starting `tesseract` loads its language models (swe+eng: about 0.3 s) before it reads a pixel,
and the OCR of a small picture is mostly that. Here libtesseract (the library the command runs)
is loaded once per process through its C API, its models are loaded once per language string,
and each picture is read exactly as `tesseract stdin stdout -l LANGS tsv` reads it: the same
PGM bytes decoded by Leptonica, the `tsv` config file, the command's page segmentation (automatic,
3), the adaptive classifier cleared between pictures, one OpenMP thread. The TSV it returns is
the command's, header line included, byte for byte.

`recognise` returns None whenever that cannot be had (no library, a library of another version
than the command's, a language that does not load, another OpenMP runtime already loaded in this
process, `PROFILECHECK_TESSERACT=command` in the environment), and the caller runs the command
instead. The models are loaded again after a fork: a worker never shares its parent's.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import subprocess
import threading
import time
from dataclasses import dataclass

PSM_AUTO = 3  # the command's default page segmentation; the library's own is 6 (one block)
OEM_DEFAULT = 3
COLUMNS = "level page_num block_num par_num line_num word_num left top width height conf text"
TSV_HEADER = "\t".join(COLUMNS.split()) + "\n"  # the command's first line
# what the command says last when it cannot process a picture ("Image too large: ...", then this)
FAILED = (-1, "", "Error during processing.")
LIBRARIES = {"tesseract": ("libtesseract.so.5", "tesseract"), "lept": ("liblept.so.5", "lept")}


class TimedOut(Exception):
    """Recognition passed its deadline."""


@dataclass
class _Api:
    handle: int
    pid: int


_lock = threading.Lock()
_state: dict[str, object] = {}  # "libs": (tesseract, lept) or None once loading failed
_apis: dict[str, _Api] = {}
_same_version: dict[str, bool] = {}  # command -> whether the library is its version


def recognise(pgm: bytes, languages: str, timeout: float, command: str) -> tuple | None:
    """(0, the TSV `command` would print) for the PGM picture `pgm`; (-1, "", the command's
    last words) when recognition failed (a picture larger than Tesseract takes, say); None when
    libtesseract cannot stand in for `command` here (the caller runs it). Raises `TimedOut`
    past `timeout` seconds."""
    return _recognised(languages, timeout, command, pgm=pgm)


def recognise_grey(
    grey: bytes, width: int, height: int, languages: str, timeout: float, command: str
) -> tuple | None:
    """`recognise` of the PGM of these 8-bit grey pixels (`height` rows of `width` bytes),
    without writing the PGM and having Leptonica read it back a byte at a time (0.1 s for a
    page at 300 dpi): Tesseract is given the same 8-bit picture, without a resolution, as it
    gets from the PGM, and answers the same."""
    return _recognised(languages, timeout, command, grey=(grey, width, height))


def _recognised(
    languages: str,
    timeout: float,
    command: str,
    pgm: bytes | None = None,
    grey: tuple[bytes, int, int] | None = None,
) -> tuple | None:
    with _lock:
        libs = _libraries()
        if libs is None or not command or not _matches(libs[0], command):
            return None
        tess, lept = libs
        api = _api(tess, languages)
        if api is None:
            return None
        pix = ctypes.c_void_p(lept.pixReadMem(pgm, len(pgm)) if pgm is not None else None)
        if pgm is not None and not pix.value:
            return FAILED
        monitor = tess.TessMonitorCreate()
        started = time.monotonic()
        try:
            if timeout and timeout > 0:
                tess.TessMonitorSetDeadlineMSecs(monitor, int(timeout * 1000))
            tess.TessBaseAPISetInputName(api.handle, b"stdin")
            if grey is not None:  # copied by Tesseract into an 8-bit picture of its own
                data, width, height = grey
                tess.TessBaseAPISetImage(api.handle, data, width, height, 1, width)
            else:
                tess.TessBaseAPISetImage2(api.handle, pix)
            if tess.TessBaseAPIRecognize(api.handle, monitor) != 0:
                if timeout and timeout > 0 and time.monotonic() - started >= timeout:
                    raise TimedOut
                return FAILED
            text = tess.TessBaseAPIGetTsvText(api.handle, 0)
            tsv = ctypes.string_at(text).decode("utf-8", "replace") if text else ""
            if text:
                tess.TessDeleteText(text)
            return (0, TSV_HEADER + tsv)
        finally:
            tess.TessBaseAPIClear(api.handle)
            tess.TessBaseAPIClearAdaptiveClassifier(api.handle)
            tess.TessMonitorDelete(monitor)
            if pix.value:
                lept.pixDestroy(ctypes.byref(pix))


def _matches(tess: ctypes.CDLL, command: str) -> bool:
    """Whether the library is the version the command reports ("tesseract 5.3.0")."""
    if command not in _same_version:
        try:
            done = subprocess.run([command, "--version"], capture_output=True, timeout=20)
            said = (done.stdout or done.stderr).decode("utf-8", "replace").split()
            version = tess.TessVersion().decode("utf-8", "replace")
            _same_version[command] = said[:2] == ["tesseract", version]
        except (OSError, subprocess.SubprocessError, ValueError):
            _same_version[command] = False
    return _same_version[command]


def _libraries() -> tuple[ctypes.CDLL, ctypes.CDLL] | None:
    if "libs" not in _state:
        _state["libs"] = _load()
    return _state["libs"]  # type: ignore[return-value]


def _load() -> tuple[ctypes.CDLL, ctypes.CDLL] | None:
    if os.environ.get("PROFILECHECK_TESSERACT") == "command" or _openmp_loaded():
        return None  # told not to, or an OpenMP runtime would ignore the one-thread limit
    previous = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"  # read once, as libgomp loads with the library
    try:
        tess, lept = (_open(*LIBRARIES[name]) for name in ("tesseract", "lept"))
    except OSError:
        return None
    finally:
        if previous is None:
            del os.environ["OMP_THREAD_LIMIT"]
        else:
            os.environ["OMP_THREAD_LIMIT"] = previous
    try:
        _declare(tess, lept)
    except AttributeError:  # an older library without these functions
        return None
    atexit.register(_end_all)
    return tess, lept


def _open(soname: str, name: str) -> ctypes.CDLL:
    try:
        return ctypes.CDLL(soname)
    except OSError:
        found = ctypes.util.find_library(name)
        if not found:
            raise
        return ctypes.CDLL(found)


def _openmp_loaded() -> bool:
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            return "libgomp" in maps.read()
    except OSError:
        return True  # cannot tell: the command is always right


def _declare(tess: ctypes.CDLL, lept: ctypes.CDLL) -> None:
    p, c_int, text = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
    signatures = {
        "TessVersion": (text, []),
        "TessBaseAPICreate": (p, []),
        "TessBaseAPIInit1": (c_int, [p, text, text, c_int, ctypes.POINTER(text), c_int]),
        "TessBaseAPISetVariable": (c_int, [p, text, text]),
        "TessBaseAPISetPageSegMode": (None, [p, c_int]),
        "TessBaseAPISetInputName": (None, [p, text]),
        "TessBaseAPISetImage": (None, [p, text, c_int, c_int, c_int, c_int]),
        "TessBaseAPISetImage2": (None, [p, p]),
        "TessBaseAPIRecognize": (c_int, [p, p]),
        "TessBaseAPIGetTsvText": (p, [p, c_int]),
        "TessDeleteText": (None, [p]),
        "TessBaseAPIClear": (None, [p]),
        "TessBaseAPIClearAdaptiveClassifier": (None, [p]),
        "TessBaseAPIEnd": (None, [p]),
        "TessBaseAPIDelete": (None, [p]),
        "TessMonitorCreate": (p, []),
        "TessMonitorDelete": (None, [p]),
        "TessMonitorSetDeadlineMSecs": (None, [p, c_int]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(tess, name)
        function.restype, function.argtypes = restype, argtypes
    lept.pixReadMem.restype, lept.pixReadMem.argtypes = p, [text, ctypes.c_size_t]
    lept.pixDestroy.restype, lept.pixDestroy.argtypes = None, [ctypes.POINTER(p)]


def _api(tess: ctypes.CDLL, languages: str) -> _Api | None:
    """The initialised API for `languages` in this process (made again after a fork)."""
    api = _apis.get(languages)
    if api is not None and api.pid == os.getpid():
        return api
    handle = tess.TessBaseAPICreate()
    configs = (ctypes.c_char_p * 1)(b"tsv")
    # tesseract's own diagnostics ("Estimating resolution as ...") go nowhere, as the
    # command's stderr did; set before Init so loading the models says nothing either
    tess.TessBaseAPISetVariable(handle, b"debug_file", os.devnull.encode())
    if tess.TessBaseAPIInit1(handle, None, languages.encode(), OEM_DEFAULT, configs, 1) != 0:
        tess.TessBaseAPIDelete(handle)
        return None
    tess.TessBaseAPISetPageSegMode(handle, PSM_AUTO)
    _apis[languages] = api = _Api(handle, os.getpid())
    return api


def _end_all() -> None:
    libs = _state.get("libs")
    if not libs:
        return
    tess = libs[0]  # type: ignore[index]
    for api in list(_apis.values()):
        if api.pid == os.getpid():
            tess.TessBaseAPIEnd(api.handle)
            tess.TessBaseAPIDelete(api.handle)
    _apis.clear()

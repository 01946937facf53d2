"""The engine: compile a profile's rule files into rule-type instances and check one file.

Rule types come from the registry (built in, or plug-ins). Rules whose findings are all
deselected are never instantiated, so ignoring the logo rule never loads OpenCV. What the engine
says about a file itself (F001-F005: it could not be read, or a rule stopped on it) is never
deselected: what could not be checked must not pass unseen. A rule type that is not installed is
a configuration error, like a wrong parameter.
"""

from __future__ import annotations

import functools
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from profilecheck.core import codes
from profilecheck.core.errors import ReadError, is_out_of_memory
from profilecheck.core.files import NotRegularFile
from profilecheck.core.limits import DEFAULT_LIMITS, Limits, memory_message
from profilecheck.core.model import Document, Format, Severity, Status
from profilecheck.core.results import FileResult, Finding, Location, RunResult
from profilecheck.core.timing import timed

if TYPE_CHECKING:  # the rules' and readers' modules are imported when a file is checked: a
    # scan whose files are all in the cache never needs them (nor `check --version`)
    from profilecheck.core.facts import Rendering
    from profilecheck.engine.ruletype import RuleType
    from profilecheck.profile.config import Settings
    from profilecheck.profile.loading import Problem, Profile
    from profilecheck.profile.rule import Rule

BUILTIN_RULE = "profilecheck"
PAGE_PREFIX = re.compile(r"page (\d+): (.*)", re.DOTALL)
# The file's own findings that `--select`, `--ignore` and per-file ignores never remove. The
# waiver notes (F006, F007) are made after selection, about the waiver file, and stay selectable.
ALWAYS_KEPT = frozenset(
    {"unreadable-file", "encrypted-file", "unsupported-format", "resource-limit", "rule-failed"}
)


@dataclass
class ActiveRule:
    rule: Rule
    rule_type: type[RuleType]
    instance: RuleType
    emits: tuple[str, ...]

    @property
    def timing_name(self) -> str:
        """How `--statistics` names the rule: its label and its rule type."""
        return f"{self.rule.label} ({self.rule.type})"


def compile_rules(profile: Profile) -> tuple[list[ActiveRule], list[Problem]]:
    """Instantiate every enabled rule; problems name the file and key of each mistake."""
    from profilecheck.engine import registry
    from profilecheck.profile.loading import Problem
    from profilecheck.profile.params import parse_params

    registry.load_builtins()  # the catalogue knows every built-in check, used or not
    active: list[ActiveRule] = []
    problems = list(profile.problems)
    for rule in profile.rules:
        where = str(rule.source)
        if not rule.type:
            problems.append(Problem(where, "type", "is required"))
            continue
        try:
            rule_type = registry.load(rule.type)
        except registry.PluginError as error:
            problems.append(Problem(where, "type", f"rule type {rule.type!r}: {error}"))
            continue
        if rule_type is None:
            problems.append(Problem(where, "type", unknown_rule_type(rule.type)))
            continue
        params, param_problems = parse_params(rule_type.Params, rule.params)
        if not param_problems:
            param_problems = rule_type.validate(params, rule)
        problems += [Problem(where, p.key, p.message, p.level) for p in param_problems]
        if any(p.level == "error" for p in param_problems) or not rule.enabled:
            continue
        instance = rule_type(rule, params)
        active.append(ActiveRule(rule, rule_type, instance, instance.emitted()))
    return active, problems


def unknown_rule_type(name: str) -> str:
    """The problem with a rule type nothing provides, with the nearest installed one."""
    import difflib  # only on this error path: it costs the pre-commit path's start

    from profilecheck.engine import registry

    known = sorted(registry.available())
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"installed: {', '.join(known)}"
    return f"unknown rule type {name!r} (no built-in rule type or plug-in has it); {hint}"


class Engine:
    """`lazy`: the rules are compiled (their modules imported, parameters checked) only when
    first needed, by `build()`: a scan whose files are all in the cache never needs them.
    `on_built(engine)` is then called once, e.g. to report the profile's problems."""

    def __init__(
        self,
        profile: Profile,
        settings: Settings,
        limits: Limits = DEFAULT_LIMITS,
        lazy: bool = False,
    ):
        self.profile = profile
        self.settings = settings
        self.limits = limits
        self.lang = settings.lang or profile.language
        self._rules: list[ActiveRule] | None = None
        self._problems: list[Problem] = []
        self.on_built: Callable[[Engine], None] | None = None
        if not lazy:
            self.build()

    def build(self) -> list[ActiveRule]:
        """Compile the rules, once."""
        if self._rules is None:
            compiled, self._problems = compile_rules(self.profile)
            self._rules = [r for r in compiled if any(self.selected(n) for n in r.emits)]
            if self.on_built is not None:
                self.on_built(self)
        return self._rules

    @property
    def built(self) -> bool:
        return self._rules is not None

    @property
    def rules(self) -> list[ActiveRule]:
        return self.build()

    @property
    def problems(self) -> list[Problem]:
        self.build()
        return self._problems

    def selected(self, name: str, extra_ignores: list[str] = ()) -> bool:
        """Whether the selection keeps findings called `name`; the file's own always stay."""
        if name in ALWAYS_KEPT:
            return True
        check = codes.CATALOGUE.get(name)
        if check is None:
            return False
        chosen = [*self.settings.select, *self.settings.extend_select]
        if not any(codes.matches(s, check) for s in chosen):
            return False
        return not any(codes.matches(s, check) for s in [*self.settings.ignore, *extra_ignores])

    def check_file(self, path: str, explicit: bool = True) -> FileResult:
        """Check one file. Found in a folder walk (not `explicit`), a file that is not a
        document at all is skipped rather than reported."""
        started = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with timed("file", "check"):
                result = self._check(path, explicit)
        result.warnings += [str(w.message) for w in caught][: self.limits.max_warnings]
        result.seconds = round(time.perf_counter() - started, 4)
        return self.finish(result)

    def walk_problem(self, path: str, status: str, message: str) -> FileResult:
        """The result for an entry the walk could not hand over (denied, vanished, a loop)."""
        if status == Status.SKIPPED:
            return FileResult(path, "unknown", Status.SKIPPED, message=message)
        name = "unsupported-format" if status == Status.UNSUPPORTED else "unreadable-file"
        return self.finish(file_problem(path, "unknown", Status(status), name, message))

    def finish(self, result: FileResult) -> FileResult:
        """Selection, per-file ignores and severity overrides, for results made here or
        elsewhere (a worker, the cache). The file's own findings (`ALWAYS_KEPT`) stay."""
        ignores = self.settings.ignored_for(result.path)
        kept = [self._overridden(f) for f in result.findings if self.selected(f.name, ignores)]
        result.findings = sorted(kept, key=lambda f: f.sort_key)
        return result

    def _check(self, path: str, explicit: bool) -> FileResult:
        from profilecheck.engine.ruletype import pick_language
        from profilecheck.readers import read_document, sniff

        try:
            sniffed = sniff(path)
        except NotRegularFile as error:  # a FIFO or a device: never opened, never read
            return self._not_regular(path, explicit, error)
        except OSError as error:
            return file_problem(
                path, "unknown", Status.UNREADABLE, "unreadable-file", _os_text(error)
            )
        except Exception as error:  # the sniffer reads hostile bytes too; never a traceback
            if is_out_of_memory(error):
                message = memory_message()
                return file_problem(path, "unknown", Status.UNREADABLE, "resource-limit", message)
            message = f"cannot read the file ({type(error).__name__}: {error})"
            return file_problem(path, "unknown", Status.UNREADABLE, "unreadable-file", message)
        fmt = sniffed.format.value
        if sniffed.format is Format.UNKNOWN and not explicit:
            message = f"not a document ({sniffed.detail})"
            return FileResult(path=path, format=fmt, status=Status.SKIPPED, message=message)
        try:
            with timed("read", fmt):
                document = read_document(path, sniffed, self.limits)
        except ReadError as error:
            return file_problem(path, fmt, error.status, error.finding, error.message)
        except NotRegularFile as error:  # swapped for a FIFO or a device since it was sniffed
            return self._not_regular(path, explicit, error)
        except Exception as error:  # the file, not the tool, is at fault; say what happened
            if is_out_of_memory(error):  # MemoryError, or a library's failed allocation
                return file_problem(
                    path, fmt, Status.UNREADABLE, "resource-limit", memory_message()
                )
            text = _os_text(error) if isinstance(error, OSError) else f"{error}"
            return file_problem(path, fmt, Status.UNREADABLE, "unreadable-file", text)
        with document:
            if sniffed.format in RENDERED_FORMATS:  # LibreOffice's pages, when a rule asks
                document._renderer = functools.partial(
                    _office_pages, document, sniffed.format, self.limits
                )
            findings = self._run_rules(document)
            rendering = document.rendering_made()
            if rendering is not None and not document.paginated:
                findings = _on_rendered_pages(findings, rendering)
            # what the reader left unread (a limit, damage), also while the rules ran
            findings += [_finding(path, *unread) for unread in _by_pages(document.unread)]
            if document.source:  # read through a conversion: every finding says so
                note = pick_language(document.source, self.lang)
                findings = [replace(f, message=f"{f.message} ({note})") for f in findings]
            return FileResult(
                path=path,
                format=fmt,
                status=Status.CHECKED,
                findings=findings,
                pages=len(document.pages),
                warnings=document.warnings[: self.limits.max_warnings],
            )

    def _not_regular(self, path: str, explicit: bool, error: NotRegularFile) -> FileResult:
        """Like any file that is not a document: unsupported when named, skipped in a walk."""
        if not explicit:
            status = Status.SKIPPED
            return FileResult(path=path, format="unknown", status=status, message=error.message)
        status = Status.UNSUPPORTED
        return file_problem(path, "unknown", status, "unsupported-format", error.message)

    def _run_rules(self, document: Document) -> list[Finding]:
        from profilecheck.engine.ruletype import Report

        findings: list[Finding] = []
        ignores = self.settings.ignored_for(document.path)
        for active in self.rules:
            # the rule is told which of its findings are kept, and may skip the work of the rest
            selected = frozenset(name for name in active.emits if self.selected(name, ignores))
            report = Report(active.rule, active.rule_type, document, self.lang, selected)
            try:
                with timed("rule", active.timing_name):
                    active.instance.check(document, report)
            except ReadError as error:  # e.g. an embedded image that is a decompression bomb
                name = error.finding if error.finding in codes.CATALOGUE else "rule-failed"
                findings.append(_finding(document.path, name, error.message, active.rule.label))
            except Exception as error:
                if is_out_of_memory(error):  # MemoryError, or a library's failed allocation
                    name, message = "resource-limit", memory_message(f"rule {active.rule.label}")
                else:
                    name = "rule-failed"
                    message = f"rule {active.rule.label} failed: {type(error).__name__}: {error}"
                findings.append(_finding(document.path, name, message, active.rule.label))
            findings += report.findings
        return findings

    def run_result(
        self, files: list[FileResult], known: tuple[dict, dict] | None = None
    ) -> RunResult:
        """The result of a run over `files`, ready for the reporters. `known`: the
        (applicable_checks, rule_checks) of these settings, kept from an earlier run, used
        while the rules are not built."""
        from profilecheck import __version__

        if known is not None and not self.built:
            checks, rule_checks = known
        else:
            checks, rule_checks = self.applicable_checks(), self.rule_checks()

        return RunResult(
            tool_version=__version__,
            profile_name=self.profile.name,
            profile_version=self.profile.version,
            profile_title=self.profile.title,
            files=files,
            fail_on=Severity(self.settings.fail_on),
            lang=self.lang,
            checks=checks,
            rule_checks=rule_checks,
        )

    def applicable_checks(self) -> dict[str, Severity]:
        """Finding name -> severity of every check that runs: the compliance score's denominator."""
        from profilecheck.engine.ruletype import rule_severity

        checks: dict[str, Severity] = {}
        for active in self.rules:
            for name in active.emits:
                if self.selected(name):
                    severity = self._severity(name, rule_severity(active.rule, name))
                    checks[name] = max(checks.get(name, severity), severity, key=lambda s: s.rank)
        return checks

    def rule_checks(self) -> dict[str, tuple[str, ...]]:
        """Rule label -> the selected checks it runs: what a rule that stops leaves unchecked."""
        return {
            active.rule.label: tuple(name for name in active.emits if self.selected(name))
            for active in self.rules
        }

    def _overridden(self, finding: Finding) -> Finding:
        severity = self._severity(finding.name, finding.severity)
        return finding if severity is finding.severity else replace(finding, severity=severity)

    def _severity(self, name: str, default: Severity) -> Severity:
        """The configuration's severity for a finding name, overriding the rule files'."""
        check = codes.CATALOGUE[name]
        for selector, severity in self.settings.severity.items():
            if codes.matches(selector, check):
                return Severity(severity)
        return default


def file_problem(path: str, fmt: str, status: Status, name: str, message: str) -> FileResult:
    finding = _finding(path, name, message)
    return FileResult(path=path, format=fmt, status=status, findings=[finding], message=message)


def _finding(path: str, name: str, message: str, rule: str = BUILTIN_RULE) -> Finding:
    check = codes.CATALOGUE[name]
    location = Location(path=path)
    return Finding(check.code, name, check.severity, message, location, rule=rule)


def _by_pages(unread: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What was not read, once each; "page N: why" for several pages with the same why, once
    for all: "pages 3, 4, 7: why"."""
    pages: dict[tuple[str, str], list[str]] = {}
    for name, message in dict.fromkeys(unread):
        paged = PAGE_PREFIX.fullmatch(message)
        key = (name, paged.group(2)) if paged else (name, message)
        pages.setdefault(key, []).append(paged.group(1) if paged else "")
    merged = []
    for (name, why), numbers in pages.items():
        if numbers[0]:
            why = f"page{'s' if len(numbers) > 1 else ''} {_ranges(numbers)}: {why}"
        merged.append((name, why))
    return merged


def _ranges(numbers: list[str]) -> str:
    """["3", "4", "5", "9"] -> "3–5, 9"."""
    runs: list[list[int]] = []
    for number in sorted(int(n) for n in numbers):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(f"{a}–{b}" if b > a else f"{a}" for a, b in runs)


def _os_text(error: OSError) -> str:
    return f"cannot open the file: {error.strerror or error}"


# Word and PowerPoint, natively or through a conversion: the formats readers/convert/render.py
# lays out with LibreOffice (its SOURCES; tests/test_office_pages.py keeps the two alike).
RENDERED_FORMATS = frozenset(
    (Format.DOCX, Format.LEGACY_DOC, Format.RTF, Format.ODT, Format.PPTX, Format.PPT, Format.ODP)
)


def _on_rendered_pages(findings: list[Finding], rendering: Rendering) -> list[Finding]:
    """A Word document's findings, where a rule had it rendered, with the page of LibreOffice's
    layout that shows the text they quote (their part kept; `measured.page_from` says so)."""
    from profilecheck.readers.convert import render

    texts = [render.quoted(f.message) if f.location.page is None else "" for f in findings]
    places = render.find_text(rendering, [text for text in texts if text])
    paged = []
    for finding, text in zip(findings, texts, strict=True):
        if text in places:
            page, box = places[text]
            location = replace(finding.location, page=page, box=box)
            measured = {**finding.measured, "page_from": "rendering"}
            finding = replace(finding, location=location, measured=measured)
        paged.append(finding)
    return paged


def _office_pages(document: Document, fmt: Format, limits: Limits) -> Rendering | None:
    """The first call to `document.rendered_pages()`: only now is the LibreOffice converter
    loaded (a check that needs no pixels, such as a pre-commit run on a .docx, never loads it)."""
    from profilecheck.readers.convert import render

    lazy = document._renderer
    render.attach(document, fmt, limits)  # sets the real renderer, or none without LibreOffice
    return None if document._renderer is lazy else document._renderer()

"""Word documents from docxtpl templates: the closure report and the briefing are a template
(`templates/reports/*.docx`, which a PMO edits in Word) filled with a plain context.

Every text from a submission is made safe on the way in: XML-illegal control characters (an
Excel cell can hold them) are dropped, `<` and `&` are escaped (autoescape), and a text of
several lines keeps its line breaks. A template that cannot be used — missing, not a .docx,
broken Jinja, or naming a variable the report does not have — is one line naming it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, Listing
from jinja2 import Environment, StrictUndefined, TemplateError

from generators.output import writing
from pmokit.base.errors import ConfigError
from pmokit.utils.files import atomic_write

ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CHART_WIDTH = Mm(160)


def safe(value: Any) -> Any:
    """A context value ready for the document: texts cleaned (several lines kept as lines),
    mappings and lists cleaned all the way down; numbers, dates and images as they are."""
    if isinstance(value, str):
        text = ILLEGAL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        return Listing(text) if "\n" in text else text
    if isinstance(value, Mapping):
        return {key: safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [safe(item) for item in value]
    return value


class TemplateProblem(ConfigError):
    def __init__(self, template: Path, zh: str, en: str) -> None:
        super().__init__(f"报告模板 {template} 无法使用：{zh}", f"report template {template}: {en}")


def once(made: dict[str, Any], source: str, make: Callable[[str], Any]) -> Any:
    """`make(source)`, kept in `made` and given again for the same source: docxtpl hands over
    the same XML for every report from one template. At most a few templates' parts are kept;
    an edited template is a new source."""
    if source not in made:
        if len(made) >= 32:
            made.clear()
        made[source] = make(source)
    return made[source]


class PreparedOnce(DocxTemplate):
    """A docxtpl template whose XML clean-up (a dozen regular expressions over each part) is
    done once per part, not once per report."""

    prepared: ClassVar[dict[str, str]] = {}  # shared by every template opened

    def patch_xml(self, src_xml: str) -> str:
        return once(self.prepared, src_xml, super().patch_xml)


class CompiledOnce(Environment):
    """A Jinja environment that compiles each template part once (compiling costs a quarter
    of a render)."""

    def __init__(self) -> None:
        # StrictUndefined: a misspelt name inside a value ({{ p.nmae }}) is an error, not a blank
        super().__init__(undefined=StrictUndefined)
        self.compiled: dict[str, Any] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return once(self.compiled, source, super().from_string)


JINJA = CompiledOnce()


def check_template(template: Path, context: Mapping[str, Any]) -> DocxTemplate:
    """The template, once it is known to use only names the report provides (checked once per
    version of the file: parsing it costs as much as rendering it)."""
    try:
        stamp = (str(template), template.stat().st_mtime_ns, frozenset(context))
    except OSError:
        stamp = None
    if stamp is None or stamp not in _checked:
        _check(template, context)
        _checked.add(stamp)
    return PreparedOnce(template)


_checked: set = set()


def _check(template: Path, context: Mapping[str, Any]) -> None:
    try:
        unknown = sorted(
            DocxTemplate(template).get_undeclared_template_variables(context=dict(context))
        )
    except TemplateError as exc:
        line = f"（第 {exc.lineno} 行）" if getattr(exc, "lineno", None) else ""
        raise TemplateProblem(
            template, f"模板语法错误{line}：{exc.message}", f"template syntax: {exc.message}"
        ) from None
    except Exception as exc:  # a missing file, or no .docx at all (zip or XML errors)
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise TemplateProblem(
            template, f"不是可读的 .docx 文件（{reason}）", f"not a readable .docx ({reason})"
        ) from None
    if unknown:
        names = ", ".join(unknown)
        raise TemplateProblem(
            template, f"使用了报告中没有的变量 {names}", f"uses variables the report lacks: {names}"
        )


def render_docx(
    template: Path, context: Mapping[str, Any], out: Path, charts: Mapping[str, bytes] = {}
) -> Path:
    """Fill the template with `context` (and each chart PNG under its name) and write `out`."""
    names = {**context, **dict.fromkeys(charts, "")}
    document = check_template(template, names)
    filled = dict(safe(dict(context)))
    for name, png in charts.items():
        filled[name] = InlineImage(document, io.BytesIO(png), width=CHART_WIDTH)
    try:
        document.render(filled, JINJA, autoescape=True)
    except TemplateError as exc:
        raise TemplateProblem(template, str(exc), str(exc)) from None
    with writing(out):
        out.parent.mkdir(parents=True, exist_ok=True)
        return atomic_write(out, document.save)

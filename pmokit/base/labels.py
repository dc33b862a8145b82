"""The one shape of bilingual text: a Label holds a text in Chinese and English, Chinese first,
and gives the one for a language. Every catalogue of words in pmokit (form labels, issue
messages, errors, alert and roll-up texts) is made of Labels."""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("zh", "en")


@dataclass(frozen=True)
class Label:
    """A text in the two languages pmokit speaks; Chinese is the default."""

    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def format(self, **values: object) -> Label:
        """Both texts with the same placeholders filled; a Label value gives each its own."""

        def texts(lang: str) -> dict[str, object]:
            return {k: v.text(lang) if isinstance(v, Label) else v for k, v in values.items()}

        return Label(self.zh.format(**texts("zh")), self.en.format(**texts("en")))

"""The Chinese working-day calendar: public holidays and make-up workdays (调休), from the
chinesecalendar package for the years it knows, with the PMO's own overrides on top; a year
the package does not know falls back to Monday–Friday until the PMO adds its dates."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import chinese_calendar

from pmokit.base.labels import Label

CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "CST")  # the PMO's clock: no daylight saving


@functools.lru_cache(maxsize=8192)
def _official_workday(day: dt.date) -> bool:
    """chinesecalendar's answer (it scans its whole table per call, so remember it)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


@functools.cache
def official_years() -> frozenset[int]:
    """The years chinesecalendar has the State Council's 放假安排 for."""
    days = [*chinese_calendar.holidays, *chinese_calendar.workdays]
    return frozenset(range(min(days).year, max(days).year + 1))


UNKNOWN_YEARS = Label(
    "节假日日历不含 {years} 年的放假安排：这些年份暂按周一至周五计算工作日，截止日期可能不准。"
    "请在 pmo.toml 的 [calendar] 中加入国务院公布的放假日（holidays）和调休上班日（workdays）。",
    "The holiday calendar does not know {years}: working days there count as Monday to Friday"
    " and deadlines may be off. Add the State Council's holidays and make-up workdays to"
    " pmo.toml [calendar] (holidays, workdays).",
)


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date] = frozenset()  # days off that would be workdays
    workdays: frozenset[dt.date] = frozenset()  # make-up workdays on weekends

    def is_workday(self, day: dt.date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        return _official_workday(day)

    def add_workdays(self, day: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `day`."""
        while count > 0:
            day += dt.timedelta(days=1)
            count -= self.is_workday(day)
        return day

    def unknown_years(self, *days: dt.date) -> list[int]:
        """Years among `days` that neither chinesecalendar nor the PMO's [calendar] knows."""
        own = {d.year for d in self.holidays | self.workdays}
        return sorted({d.year for d in days} - own - official_years())

    def warning(self, *days: dt.date) -> Label | None:
        """What to say loudly when a deadline may fall in a year the calendar does not know."""
        years = self.unknown_years(*days)
        if not years:
            return None
        shown = [str(y) for y in years]
        zh, en = UNKNOWN_YEARS.zh, UNKNOWN_YEARS.en
        return Label(zh.format(years="、".join(shown)), en.format(years=", ".join(shown)))

    def last_workday_on_or_before(self, day: dt.date) -> dt.date:
        while not self.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    def first_workday_on_or_after(self, day: dt.date) -> dt.date:
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day


def end_of_day(day: dt.date) -> dt.datetime:
    """The last second of `day` as the PMO reads it: what "as of a date" means everywhere."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), CHINA_TIME)


DUE_TIME, LATE_TIME = dt.time(18, 0), dt.time(12, 0)  # end of the working day; noon


@functools.lru_cache(maxsize=4096)
def weekly_deadlines(calendar: WorkCalendar, friday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """When the report for the week ending `friday` is due (18:00 on the week's last working
    day), and until when it is merely late, China time (R2: "每周一中午之前" — noon on the
    Monday after, or on the first working day after it when that Monday is a holiday; never a
    调休 Saturday or Sunday before it)."""
    due = dt.datetime.combine(calendar.last_workday_on_or_before(friday), DUE_TIME, CHINA_TIME)
    monday = friday + dt.timedelta(days=7 - friday.weekday())
    late_day = calendar.first_workday_on_or_after(monday)
    return due, dt.datetime.combine(late_day, LATE_TIME, CHINA_TIME)

"""The Chinese working-day calendar: public holidays and make-up workdays (调休), from the
chinesecalendar package for the years it knows, with the PMO's own overrides on top; a year
the package does not know falls back to Monday–Friday until the PMO adds its dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar

CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "CST")  # the PMO's clock: no daylight saving


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date] = frozenset()  # days off that would be workdays
    workdays: frozenset[dt.date] = frozenset()  # make-up workdays on weekends

    def is_workday(self, day: dt.date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            return day.weekday() < 5

    def add_workdays(self, day: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `day`."""
        while count > 0:
            day += dt.timedelta(days=1)
            count -= self.is_workday(day)
        return day

    def last_workday_on_or_before(self, day: dt.date) -> dt.date:
        while not self.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    def next_workday_after(self, day: dt.date) -> dt.date:
        return self.add_workdays(day, 1)

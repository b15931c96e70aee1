"""Reporting periods in the Jalali calendar. The fiscal year starts on 1 Farvardin, so a fiscal year
is a Jalali year and its quarters are months 1–3, 4–6, 7–9 and 10–12."""

import datetime
import re
from dataclasses import dataclass

import jdatetime
from django.utils.translation import gettext_lazy as _

from greenjobs.jalali import MONTHS_FA, month_length
from greenjobs.text import fold_digits, to_persian_digits


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    year: int
    kind: str  # "year", "quarter" or "month"
    number: int = 0  # the quarter (1–4) or the month (1–12)

    @classmethod
    def parse(cls, text: str) -> "Period":
        """'1405', '1405-Q3' or '1405-07' (any digits)."""
        value = fold_digits((text or "").strip()).upper()
        if match := re.fullmatch(r"(\d{4})", value):
            return cls(int(match[1]), "year")
        if match := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            return cls(int(match[1]), "quarter", int(match[2]))
        if (match := re.fullmatch(r"(\d{4})-(\d{1,2})", value)) and 1 <= int(match[2]) <= 12:
            return cls(int(match[1]), "month", int(match[2]))
        raise PeriodError(_("Write the period as 1405, 1405-Q3 or 1405-07."))

    @property
    def key(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def months(self) -> tuple[int, int]:
        if self.kind == "year":
            return 1, 12
        if self.kind == "quarter":
            return 3 * self.number - 2, 3 * self.number
        return self.number, self.number

    @property
    def start(self) -> datetime.date:
        first, _last = self.months
        return jdatetime.date(self.year, first, 1).togregorian()

    @property
    def end(self) -> datetime.date:
        """The last day, inclusive."""
        _first, last = self.months
        return jdatetime.date(self.year, last, month_length(self.year, last)).togregorian()

    def label(self, language: str = "fa") -> str:
        if language == "fa":
            if self.kind == "year":
                text = f"سال {self.year}"
            elif self.kind == "quarter":
                text = f"فصل {['اول', 'دوم', 'سوم', 'چهارم'][self.number - 1]} {self.year}"
            else:
                text = f"{MONTHS_FA[self.number - 1]} {self.year}"
            return to_persian_digits(text)
        if self.kind == "year":
            return f"Year {self.year}"
        if self.kind == "quarter":
            return f"Quarter {self.number} of {self.year}"
        return f"Month {self.number} of {self.year}"

    def previous(self) -> "Period":
        if self.kind == "year":
            return Period(self.year - 1, "year")
        if self.kind == "quarter":
            return (
                Period(self.year, "quarter", self.number - 1)
                if self.number > 1
                else Period(self.year - 1, "quarter", 4)
            )
        return (
            Period(self.year, "month", self.number - 1)
            if self.number > 1
            else Period(self.year - 1, "month", 12)
        )

    def trend(self, count: int = 6) -> list["Period"]:
        """This period and the ones before it, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return list(reversed(periods))

    @classmethod
    def containing(cls, day: datetime.date, kind: str) -> "Period":
        jday = jdatetime.date.fromgregorian(date=day)
        if kind == "year":
            return cls(jday.year, "year")
        if kind == "quarter":
            return cls(jday.year, "quarter", (jday.month - 1) // 3 + 1)
        return cls(jday.year, "month", jday.month)

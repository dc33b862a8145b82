"""A PMO's quarter as data, for the demo, the benchmarks and the end-to-end tests (one generator,
deterministic with a seed): 40 projects across four departments on the real 2026 calendar, and
every file their people drop into the share over 13 weeks — each with when it arrives, what
intake must make of it and why. Nothing here writes a file: `build_form` does, from a Record.

cast       the people, departments and customers
plan       the 40 projects and their initiation forms
quarter    the ordinary weeks: weekly reports every Friday, budgets on the 25th
events     changes: budget raised, overspend, PM handed over, suspension, cancellation
closures   three closures, one with its final acceptance later
trouble    a project going amber then red, its escalation and two executive instructions
scenarios  all of it laid over the ordinary quarter, with the mistakes people make
truth      what the quarter should leave behind: who owes what when, the alerts, the end states
"""

from generators.portfolio.quarter import Drop, Quarter
from generators.portfolio.scenarios import make_quarter

__all__ = ["Drop", "Quarter", "make_quarter"]

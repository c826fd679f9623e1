"""`kezek demo`: a synthetic district walked through every path of the procedure.

Three providers near Almaty keep all six lists. Each synthetic application follows one path of
order No. 441 (filed on the portal at any hour, accepted, checked, verified, registered or
refused, updated, withdrawn, taken off the list, passed on to the family, complained of) with
dates over 2024-2025 that respect every statutory term in working days. Housing is offered, at
times spread over the same years, to whoever heads a list then.

Every act goes through `WaitingList`, in the order of the moments they take effect, so the
queue numbers stated at registration are those of that moment. The demo never breaks a rule of
the procedure: if the domain refuses an act, that is a bug of the demo, reported with the case
and the act.

How the package is laid out, from the data to the entry point:

- district: providers, lists, years, and the paths with the share of each
- moments: office hours and portal moments
- cases, script: one application as followed, and the cursor that plans its acts
- consideration, on_the_list, complaints, offers: the acts, by stage of the procedure
- paths: which acts each path plans; plan: who takes which path, and the offer rounds
- scheduler: records the acts in the order of their moments
- result, report: what the walk did, and the summary printed
- entry: `run_demo`
"""

from demo.cases import DemoBrokeARule
from demo.entry import run_demo

__all__ = ["DemoBrokeARule", "run_demo"]

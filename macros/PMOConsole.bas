Attribute VB_Name = "PMOConsole"
Option Explicit
' The PMO console's buttons. Each calls one Python entry point in pmokit.buttons; no logic here.

Public Sub RefreshRollup()
    RunPython "import pmokit.buttons as b; b.refresh_rollup()"
End Sub

Public Sub MakeBriefing()
    RunPython "import pmokit.buttons as b; b.make_briefing()"
End Sub

Public Sub MakeClosureReport()
    RunPython "import pmokit.buttons as b; b.make_closure_report()"
End Sub

Public Sub SendStatus()
    RunPython "import pmokit.buttons as b; b.send_status()"
End Sub

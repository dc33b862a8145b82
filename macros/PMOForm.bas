Attribute VB_Name = "PMOForm"
Option Explicit
' The form's buttons. Each calls one Python entry point in pmokit.buttons; no logic lives here.

Public Sub ValidateForm()
    RunPython "import pmokit.buttons as b; b.validate_form()"
End Sub

Public Sub SubmitForm()
    RunPython "import pmokit.buttons as b; b.submit_form()"
End Sub

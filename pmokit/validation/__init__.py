"""Layer 3, validation: a submitted file, hostile until checked, to one Report — package safety
-> read -> parse -> cell checks -> cross-field rules (validate), optionally in a limited worker
process (isolation). Takes bytes and the forms; may import forms, base and utils."""

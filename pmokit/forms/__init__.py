"""Layer 2, forms: the form schema, the single source of truth — spec loading (templates/forms),
the layout of each workbook, the published contract (describe), field types and tolerant value
reading, and a filled form's values (Record). Takes spec files; may import base and utils."""

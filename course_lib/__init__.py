"""course_lib: the shared helper library of the course "Can neuropathic pain go away?".

Layers (imports flow one way, see DESIGN.md):
    widgets -> figures -> models;  quiz beside them.

This is educational material, not medical advice.
"""

__version__ = "0.1.0"

from ._import_speed import defer_rfc3987_syntax

defer_rfc3987_syntax()   # 1.1 s off every notebook's first figure (see _import_speed.py)

EDUCATIONAL_DISCLAIMER = (
    "This course is educational material about how nerves and pain work. "
    "It is not medical advice: the models are simplified, and nothing here should guide "
    "anyone's diagnosis or treatment. Talk to a clinician about your own pain."
)

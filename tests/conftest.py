"""Shared pytest set-up for the course's tests."""

import os

# Quiz progress written by tests and by nbval's kernels must never touch a learner's real data.
# (Set before any course_lib.quiz import; kernels started by nbval inherit the environment.)
os.environ.setdefault("COURSE_PROGRESS_DIR", os.path.join(os.path.dirname(__file__), ".progress-under-test"))

"""Fixtures shared by the quiz tests: a progress store of the test's own, and no observation left over
from another test (a Predict question reads the latest observation its lab sent)."""

from __future__ import annotations

import pytest

from course_lib.quiz import ProgressStore, observations


@pytest.fixture
def store(tmp_path) -> ProgressStore:
    """A progress store in the test's own folder, never the learner's."""
    return ProgressStore(tmp_path / "progress")


@pytest.fixture
def fresh_observations():
    """Forget every lab observation before and after the test."""
    observations.forget()
    yield
    observations.forget()

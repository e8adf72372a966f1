"""The host's events, as Review Board's ``reviews.signals`` would be."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app import forms
from desktop_app.signals import define_signal


@dataclass(frozen=True)
class Change:
    """What the host sends: a stand-in for a review request."""

    id: int
    summary: str
    repository: str
    branch: str
    lines: int


change_published = define_signal(
    "review_style.change_published",
    description="A change was published for review.",
    payload={
        "user": forms.CharField(label="User"),
        "change": forms.CharField(label="Change", required=False),
    },
)

change_closed = define_signal(
    "review_style.change_closed",
    description="A change was closed.",
    payload={
        "user": forms.CharField(label="User"),
        "change": forms.CharField(label="Change", required=False),
        "close_type": forms.CharField(label="How", required=False),
    },
)

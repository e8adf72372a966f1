"""A package plugin written the way Review Board's integrations are
(rbintegrations): a chat base class whose handler loops over
``get_configs()`` and asks each configuration ``match_conditions()``, and
a CI integration whose form has its own ``ConditionChoices``. The tests
copy this folder into a plugins folder; it imports itself by name."""

from review_style.chat import TeamChat
from review_style.ci import ChangeBuilds

__all__ = ["ChangeBuilds", "TeamChat"]

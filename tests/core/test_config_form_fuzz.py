"""IntegrationConfigForm.save() on a real manager under arbitrary input:
only ValidationError, and never a partial save."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm, ValidationError
from desktop_app.integration import Integration

MEGABYTE = "x" * 1_000_000


class EveryFieldForm(IntegrationConfigForm):
    text = forms.CharField(max_length=50)
    url = forms.URLField(required=False)
    email = forms.EmailField(required=False)
    secret = forms.PasswordField(required=False)
    count = forms.IntegerField(min_value=0, max_value=100)
    ratio = forms.FloatField(required=False, min_value=0.0, max_value=1.0)
    flag = forms.BooleanField(required=False)
    color = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")])
    tags = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    folder = forms.PathField(mode="directory", required=False)


class Everything(Integration):
    integration_id = "tests.fuzz.Everything"
    config_form_cls = EveryFieldForm

    def initialize(self):
        pass


anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.text(
        alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=40
    ),
    st.sampled_from(["\x00", "red", "blue", "a,b", MEGABYTE, "https://x.y/", "5"]),
    st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=4),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
form_data = st.fixed_dictionaries(
    {},
    optional={
        name: anything for name in ["name", "enabled", *EveryFieldForm.base_fields]
    },
)


def stored(manager):
    return [
        (c.id, c.name, c.enabled, c.settings, c.revision)
        for c in manager.store.list_configs()
    ]


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=form_data, edit=st.booleans())
def test_form_save_raises_only_validation_error_and_never_saves_partly(
    manager, data, edit
):
    if not manager.is_registered(Everything):
        manager.register_integration_class(Everything)
        good = {"name": "base", "text": "t", "count": 1, "color": "red"}
        EveryFieldForm(manager.get_integration(Everything), good).save()
    integration = manager.get_integration(Everything)
    before = stored(manager)
    config = manager.get_integration_configs(Everything)[0] if edit else None
    original = None if config is None else (config.name, dict(config.settings))
    form = EveryFieldForm(integration, data, config=config)
    try:
        saved = form.save()
    except ValidationError as e:
        assert e.messages and all(isinstance(m, str) for m in e.messages)
        assert stored(manager) == before
        if config is not None:  # the object in hand is rolled back too
            assert (config.name, config.settings) == original
    else:
        assert saved.id is not None
        if not edit:
            manager.delete_config(saved)

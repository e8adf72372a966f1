"""Django forms may add fields in ``__init__`` (``self.fields['x'] = ...``)
or remove some. The generated dialog shows the fields the form has: an
added one in a group of its own at the end, a removed one not at all; and
what the user enters there is saved."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit

from desktop_app import forms
from desktop_app.forms import IntegrationConfigForm
from desktop_app.integration import Integration
from tests._support.config_dialog_driving import click_ok, open_dialog, pick, type_into


class ProjectForm(IntegrationConfigForm):
    server = forms.URLField(label="Server")
    legacy_key = forms.CharField(label="Legacy key", required=False)

    class Meta:
        fieldsets = (("Connection", {"fields": ("server", "legacy_key")}),)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices known only when the form is made, as Django forms do.
        self.fields["project"] = forms.ChoiceField(
            label="Project", choices=[("web", "Website"), ("app", "Mobile app")]
        )
        del self.fields["legacy_key"]


class Projects(Integration):
    integration_id = "tests.ui.Projects"
    name = "Projects"
    config_form_cls = ProjectForm

    def initialize(self):
        pass


def test_form_lists_the_fields_it_has_in_its_fieldsets(manager):
    integration = manager.register_integration_class(Projects)
    form = ProjectForm(integration)

    assert [(fs.title, fs.fields) for fs in form.current_fieldsets()] == [
        ("Basic Information", ("name", "enabled", "local_site")),
        ("Connection", ("server",)),
        (None, ("project",)),
    ]
    # The class's own fieldsets stay as declared.
    assert ProjectForm.fieldsets[1].fields == ("server", "legacy_key")


def test_dialog_shows_and_saves_a_field_made_in_init(qtbot, manager):
    integration = manager.register_integration_class(Projects)
    dialog = open_dialog(qtbot, integration)

    assert dialog.findChild(QLineEdit, "legacy_key") is None
    project = dialog.findChild(QComboBox, "project")
    assert project.isVisible()
    assert dialog.label("project").text().startswith("Project")

    type_into(qtbot, dialog, "server", "https://ci.example.com/")
    pick(qtbot, project, "Mobile app")
    click_ok(qtbot, dialog)

    qtbot.waitUntil(lambda: dialog.saved_config is not None)
    stored = manager.get_config(dialog.saved_config.id)
    assert stored.settings["project"] == "app"
    assert stored.settings["server"] == "https://ci.example.com/"
    assert "legacy_key" not in stored.settings

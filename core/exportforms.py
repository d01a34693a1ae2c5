"""The export form of the admin's export screens, in Dutch.

django-import-export labels each column checkbox with the model attribute in English and the column
in brackets ("Organisation Type (Soort organisatie)"); here the label is the column name people see
in the file. The screen itself is templates/admin/import_export/export_nl.html.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from import_export.forms import SelectableFieldsExportForm


class DutchExportForm(SelectableFieldsExportForm):
    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["format"].label = _("Bestandsformaat")
        for resource in resources:
            for name, field in resource.fields.items():
                form_field = self.fields.get(self.create_boolean_field_name(resource, name))
                if form_field is not None:
                    form_field.label = field.column_name
                    # Found by static/js/admin-export-select-all.js ("Alle kolommen").
                    form_field.widget.attrs["data-export-column"] = "1"

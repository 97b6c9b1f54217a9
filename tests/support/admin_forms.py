"""Read an admin form's fields from a rendered page, as a browser would post them."""

from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            # Browsers drop the one newline that follows <textarea>.
            self.data[self.textarea] += (
                data.removeprefix("\n") if not self.data[self.textarea] else data
            )


def form_data(response, form_id: str) -> dict:
    """The fields of the form `form_id` in `response`, with the values it was rendered with."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    return reader.data


def sign_in_in_english(client, user):
    """Sign `user` in on the test client, which then asks for English pages."""
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


IMPORT = reverse("admin:funding_contribution_import")


CONFIRM = reverse("admin:funding_contribution_process_import")


HEADER = "key,funder,instrument,amount,status,public\n"


def upload(client, programme, name, content):
    return client.post(
        IMPORT,
        {
            "programme": programme.pk,
            "resource": "0",
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(CONFIRM, data, follow=True)


def form_errors(response):
    return response.context["form"].errors.get("import_file")

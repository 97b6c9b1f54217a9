"""The password forms of both sign-in pages, with the user name bounded before anything is kept."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class BoundedUserName:
    """A user name longer than the User model allows is a form error, before any look-up.

    Django's AuthenticationForm sets the field's max_length after the field is made, so that
    length is never checked, and django-axes would record the whole name (its column holds 255
    characters: longer ones failed the sign-in with a 500 on PostgreSQL). A NUL character is
    refused by the field already.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class SignInForm(BoundedUserName, AuthenticationForm):
    pass


class AdminSignInForm(BoundedUserName, AdminAuthenticationForm):
    pass

"""Who is signed in, without a database round trip on a warm request.

Django's authentication middleware reads the user's row on every request, funding/permissions.py
then reads their groups and team roles, the admin their model permissions, and django-otp the
device that gave the second factor. Here all of it is read once and kept in the shared cache
(`signed_in_entry` in funding/cache.py) until any of it changes: the signals below retire a
user's entry when their row (password, active flag, superuser flag, last sign-in), their groups,
a group's name or permissions, their own permissions, their team memberships or their devices
are saved or deleted, so the next request reads them afresh. What no signal tells (rows changed
by SQL outside Django) shows after `SIGNED_IN_CACHE_SECONDS` at most.

The session's check is Django's: the session holds a hash of the password, compared with the
cached row's, so a password change signs the other sessions out as it did before (the change
retires the entry, and the next request compares with the new password).
"""

from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser, Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from aifabriek.ops.backup import restored
from funding.cache import forget_everything, retire_signed_in, signed_in_entry
from funding.models.teams import ProgrammeMembership
from funding.permissions import remember_facts, user_facts


def _load(user_id, backend_path: str) -> dict | None:
    """The user as the sign-in backend gives it (None for an inactive or deleted user), with
    what funding/permissions.py reads of them and their confirmed second-factor devices."""
    user = load_backend(backend_path).get_user(user_id)
    if user is None:
        return None
    facts = user_facts(user)
    # Kept on the instance by Django's ModelBackend (`_perm_cache`), and so cached with it.
    user.get_all_permissions()
    # Which devices, not the devices: their secret keys stay in the database.
    devices = frozenset(device.persistent_id for device in devices_for_user(user, confirmed=True))
    return {"user": user, "facts": facts, "devices": devices}


def get_user(request):
    """`django.contrib.auth.get_user`, with the row, rights and devices from the cache."""
    if not settings.SIGNED_IN_CACHE_SECONDS:
        return auth.get_user(request)  # Django's own, reading only what the request asks
    try:
        user_id = get_user_model()._meta.pk.to_python(request.session[SESSION_KEY])
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    entry = signed_in_entry(user_id, backend_path, lambda: _load(user_id, backend_path))
    if entry is None:
        return AnonymousUser()
    user = entry["user"]
    remember_facts(user, entry["facts"])
    user._second_factor_devices = entry["devices"]
    return user if _session_verified(request, user) else AnonymousUser()


def _session_verified(request, user) -> bool:
    """Django's check that the session was made with the user's current password (or one of the
    fallback secret keys, after which the session moves to the current one)."""
    session_hash = request.session.get(HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return True
    if session_hash and any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        request.session.cycle_key()
        request.session[HASH_SESSION_KEY] = session_auth_hash
        return True
    request.session.flush()
    return False


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's authentication middleware, reading the user through `get_user` above."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))


class CachedOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, checking the session's device against the cached user's
    confirmed devices.

    A device not among them (deleted, unconfirmed, another user's) is no second factor, as
    django-otp decides for a device it cannot find. The device itself (with its secret key) is
    read from the database only if something uses more of it than that it is there.
    """

    def _verify_user_sync(self, request, user):
        devices = getattr(user, "_second_factor_devices", None)
        if devices is None:  # not read by `get_user` (anonymous, or a user set by a view)
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        device = None
        if persistent_id and self._normalize_persistent_id(persistent_id) in devices:
            device = SimpleLazyObject(partial(self._device_from_persistent_id, persistent_id))
        elif persistent_id:
            del request.session[DEVICE_ID_SESSION_KEY]
        user.otp_device = device
        return user


def user_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        retire_signed_in(instance.pk)


def owner_changed(sender, instance, **kwargs):
    """A membership or a device changed: its user's rights or second factor may have."""
    if not kwargs.get("raw"):
        retire_signed_in(instance.user_id)


def group_changed(sender, instance, **kwargs):
    """A renamed or deleted group changes what each of its members may do."""
    if kwargs.get("raw"):
        return
    for user_id in instance.user_set.values_list("pk", flat=True):
        retire_signed_in(user_id)


def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """user.groups.add/remove/clear, and the same from the group's side."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        retire_signed_in(instance.pk)
    elif action == "pre_clear":
        group_changed(sender, instance)
    else:
        for user_id in pk_set or ():
            retire_signed_in(user_id)


def permissions_changed(sender, instance, action, reverse, pk_set, model, **kwargs):
    """A group's or a user's model permissions, from either side."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, Group):
        group_changed(sender, instance)
    elif not reverse:
        retire_signed_in(instance.pk)
    elif model is Group:
        # A permission given to or taken from groups (or from all its groups: pk_set is None).
        groups = Group.objects.filter(pk__in=pk_set) if pk_set else instance.group_set.all()
        for group in groups:
            group_changed(sender, group)
    else:
        users = pk_set if pk_set else instance.user_set.values_list("pk", flat=True)
        for user_id in users:
            retire_signed_in(user_id)


def forget_after_restore(sender, **kwargs):
    # Rows come back with raw deletes and bulk inserts (no model signals), sessions included.
    forget_everything()


def connect() -> None:
    user_model = get_user_model()
    uid = "accounts-signed-in"
    post_save.connect(user_changed, sender=user_model, dispatch_uid=f"{uid}-user-save")
    post_delete.connect(user_changed, sender=user_model, dispatch_uid=f"{uid}-user-delete")
    post_save.connect(group_changed, sender=Group, dispatch_uid=f"{uid}-group-save")
    pre_delete.connect(group_changed, sender=Group, dispatch_uid=f"{uid}-group-delete")
    m2m_changed.connect(
        groups_changed, sender=user_model.groups.through, dispatch_uid=f"{uid}-groups"
    )
    m2m_changed.connect(
        permissions_changed, sender=Group.permissions.through, dispatch_uid=f"{uid}-group-perms"
    )
    m2m_changed.connect(
        permissions_changed,
        sender=user_model.user_permissions.through,
        dispatch_uid=f"{uid}-user-perms",
    )
    owners = [ProgrammeMembership] + [
        model
        for model in apps.get_models()
        if issubclass(model, Device) and not model._meta.proxy and not model._meta.abstract
    ]
    for model in owners:
        name = model._meta.label_lower
        post_save.connect(owner_changed, sender=model, dispatch_uid=f"{uid}-{name}-save")
        post_delete.connect(owner_changed, sender=model, dispatch_uid=f"{uid}-{name}-delete")
    restored.connect(forget_after_restore, dispatch_uid=f"{uid}-restored")

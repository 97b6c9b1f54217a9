"""deploy/systemd runs the source check every night with the app's settings and hardening."""

from pathlib import Path

SYSTEMD = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
SERVICE = SYSTEMD / "aifabriek-check-sources.service"
TIMER = SYSTEMD / "aifabriek-check-sources.timer"


def test_the_timer_starts_the_check_once_a_night():
    timer = TIMER.read_text()
    assert "OnCalendar=*-*-* 04:15:00" in timer
    assert "Persistent=true" in timer
    assert "Unit=aifabriek-check-sources.service" in timer
    assert "WantedBy=timers.target" in timer


def test_the_service_runs_the_command_once_with_the_shared_settings_and_hardening():
    service = SERVICE.read_text()
    assert "Type=oneshot" in service
    assert "EnvironmentFile=/etc/aifabriek/aifabriek.env" in service
    assert "ExecStart=/srv/aifabriek/app/.venv/bin/python manage.py check_sources" in service
    hardening = ("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "User=aifabriek")
    for option in hardening:
        assert option in service

"""Operations that know nothing of funding: logs, metrics, outages, health, Redis, backups."""

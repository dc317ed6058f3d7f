#!/usr/bin/env bash
# Restart every running replica (communes-replica@PORT) that does not answer /_stcore/health within 10 s
# twice in a row. Run by communes-healthcheck.timer.
set -u
for unit in $(systemctl list-units --plain --no-legend --state=running 'communes-replica@*.service' | awk '{print $1}'); do
  port="${unit#communes-replica@}"; port="${port%.service}"
  ok=0
  for _ in 1 2; do
    if curl -fsS --max-time 10 "http://127.0.0.1:${port}/_stcore/health" >/dev/null; then ok=1; break; fi
    sleep 5
  done
  if [ "$ok" -eq 0 ]; then
    echo "communes: ${unit} does not answer its health check; restarting"
    systemctl restart "$unit"
  fi
done

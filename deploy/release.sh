#!/usr/bin/env bash
# One release step, on one machine, before (re)starting the processes: the database
# schema, the static files, then Django's production checks. Reads /etc/bpp/env when
# run by hand: `sudo -u bpp deploy/release.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -r /etc/bpp/env ] && [ -z "${SECRET_KEY:-}" ]; then
  set -a; . /etc/bpp/env; set +a
fi
PYTHON="${PYTHON:-.venv/bin/python}"

"$PYTHON" manage.py migrate --no-input
"$PYTHON" manage.py collectstatic --no-input
# The PDFs of syntheses signed before this release are rendered now rather than at their
# first download (a no-op once they all are).
"$PYTHON" manage.py keep_signed_pdfs
"$PYTHON" manage.py check --deploy --fail-level WARNING
